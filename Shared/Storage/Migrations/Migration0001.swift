extension Migrations {
    /// The catalogue, users and tokens, OMS registrations, projects, orders and items, messages,
    /// events, and the messaging tables (outbox, inbox, deliveries), shaped for the full EOSC
    /// Offering/Ordering APIs and TMF622 (see docs in each table's comment).
    static let m0001 = Migration(version: 1, name: "initial schema", sql: #"""
    CREATE TABLE providers (
        id bigserial PRIMARY KEY,
        pid text UNIQUE,
        name text NOT NULL,
        contact_emails text[] NOT NULL DEFAULT '{}',
        -- Set by governance: how long the provider has to answer a new order (PSS seed).
        response_time_seconds integer NOT NULL DEFAULT 172800 CHECK (response_time_seconds > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE users (
        id bigserial PRIMARY KEY,
        uid text NOT NULL UNIQUE,
        email text NOT NULL,
        first_name text NOT NULL DEFAULT '',
        last_name text NOT NULL DEFAULT '',
        -- user, data_administrator, oms, catalogue, operator, governance, admin
        roles text[] NOT NULL DEFAULT '{user}',
        created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX users_email ON users (lower(email));

    -- API tokens are stored only as SHA-256 hashes.
    CREATE TABLE api_tokens (
        id bigserial PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        label text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
    );
    CREATE INDEX api_tokens_user ON api_tokens (user_id);

    CREATE TABLE provider_administrators (
        provider_id bigint NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
        user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        PRIMARY KEY (provider_id, user_id)
    );

    -- EOSC "resources".
    CREATE TABLE services (
        id bigserial PRIMARY KEY,
        slug text NOT NULL UNIQUE,
        pid text UNIQUE,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        provider_id bigint NOT NULL REFERENCES providers(id),
        order_type text NOT NULL CHECK (order_type IN ('open_access', 'fully_open_access', 'order_required', 'other')),
        categories text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'draft', 'unpublished', 'errored', 'deleted')),
        offer_seq integer NOT NULL DEFAULT 0,
        bundle_seq integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX services_provider ON services (provider_id);

    CREATE TABLE omses (
        id bigserial PRIMARY KEY,
        name text NOT NULL UNIQUE,
        type text NOT NULL CHECK (type IN ('global', 'provider_group', 'resource_dedicated')),
        is_default boolean NOT NULL DEFAULT false,
        custom_params jsonb NOT NULL DEFAULT '{}',
        trigger_url text,
        trigger_method text NOT NULL DEFAULT 'post' CHECK (trigger_method IN ('get', 'post', 'put')),
        trigger_user text,
        trigger_password text,
        service_id bigint REFERENCES services(id),
        -- OMS health, shown to operators so a dead adapter is noticed.
        last_trigger_ok_at timestamptz,
        last_trigger_error_at timestamptz,
        last_trigger_error text,
        last_events_poll_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX omses_one_default ON omses (is_default) WHERE is_default;

    CREATE TABLE oms_providers (
        oms_id bigint NOT NULL REFERENCES omses(id) ON DELETE CASCADE,
        provider_id bigint NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
        PRIMARY KEY (oms_id, provider_id)
    );

    CREATE TABLE oms_administrators (
        oms_id bigint NOT NULL REFERENCES omses(id) ON DELETE CASCADE,
        user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        PRIMARY KEY (oms_id, user_id)
    );
    CREATE INDEX oms_administrators_user ON oms_administrators (user_id);

    -- Offer ids in the API are per-service sequence numbers (iid).
    CREATE TABLE offers (
        id bigserial PRIMARY KEY,
        service_id bigint NOT NULL REFERENCES services(id),
        iid integer NOT NULL,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        order_type text NOT NULL CHECK (order_type IN ('open_access', 'fully_open_access', 'order_required', 'other')),
        order_url text,
        offer_category text,
        internal boolean NOT NULL DEFAULT false,
        primary_oms_id bigint REFERENCES omses(id),
        oms_params jsonb NOT NULL DEFAULT '{}',
        parameters jsonb NOT NULL DEFAULT '[]',
        voucherable boolean NOT NULL DEFAULT false,
        availability_count integer,
        status text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'draft', 'deleted')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (service_id, iid)
    );

    CREATE TABLE bundles (
        id bigserial PRIMARY KEY,
        service_id bigint NOT NULL REFERENCES services(id),
        iid integer NOT NULL,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        main_offer_id bigint NOT NULL REFERENCES offers(id),
        status text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'draft', 'deleted')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (service_id, iid)
    );

    CREATE TABLE bundle_offers (
        bundle_id bigint NOT NULL REFERENCES bundles(id) ON DELETE CASCADE,
        offer_id bigint NOT NULL REFERENCES offers(id),
        position integer NOT NULL,
        PRIMARY KEY (bundle_id, offer_id)
    );

    CREATE TABLE projects (
        id bigserial PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users(id),
        name text NOT NULL,
        customer_typology text CHECK (customer_typology IN ('single_user', 'research', 'private_company', 'project')),
        organization text,
        department text,
        department_webpage text,
        scientific_domains text[] NOT NULL DEFAULT '{}',
        country text,
        collaboration_countries text[] NOT NULL DEFAULT '{}',
        user_group_name text,
        reason_for_access text,
        item_seq integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX projects_user ON projects (user_id, id);

    -- One ordering act over one or more project items: the TMF622 ProductOrder header.
    CREATE TABLE orders (
        id bigserial PRIMARY KEY,
        public_id text NOT NULL UNIQUE,
        request_id uuid NOT NULL UNIQUE,
        project_id bigint NOT NULL REFERENCES projects(id),
        user_id bigint NOT NULL REFERENCES users(id),
        channel text NOT NULL DEFAULT 'eosc',
        state text NOT NULL DEFAULT 'acknowledged',
        state_before_cancellation text,
        -- TMF622 header attributes kept verbatim (category, priority, externalId, note, relatedParty...).
        tmf jsonb NOT NULL DEFAULT '{}',
        replaces_order_id bigint REFERENCES orders(id),
        completion_date timestamptz,
        cancellation_date timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX orders_project ON orders (project_id);
    CREATE INDEX orders_user ON orders (user_id, id);

    -- Project item ids in the API are per-project sequence numbers (iid).
    CREATE TABLE project_items (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects(id),
        iid integer NOT NULL,
        order_id bigint NOT NULL REFERENCES orders(id),
        line_id text NOT NULL,
        offer_id bigint NOT NULL REFERENCES offers(id),
        service_id bigint NOT NULL REFERENCES services(id),
        provider_id bigint NOT NULL REFERENCES providers(id),
        bundle_id bigint REFERENCES bundles(id),
        parent_item_id bigint REFERENCES project_items(id),
        oms_id bigint NOT NULL REFERENCES omses(id),
        status_value text NOT NULL,
        status_type text NOT NULL CHECK (status_type IN ('created', 'registered', 'in_progress', 'waiting_for_response',
                                                         'ready', 'rejected', 'closed', 'approved')),
        attributes jsonb NOT NULL DEFAULT '{}',
        user_secrets jsonb NOT NULL DEFAULT '{}',
        oms_params jsonb NOT NULL DEFAULT '{}',
        external_ref text,
        tmf jsonb NOT NULL DEFAULT '{}',
        response_deadline timestamptz,
        first_response_at timestamptz,
        reminded_at timestamptz,
        escalated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, iid),
        UNIQUE (order_id, line_id)
    );
    CREATE INDEX project_items_oms ON project_items (oms_id, project_id);
    CREATE INDEX project_items_awaiting ON project_items (response_deadline) WHERE first_response_at IS NULL;

    CREATE TABLE project_item_statuses (
        id bigserial PRIMARY KEY,
        project_item_id bigint NOT NULL REFERENCES project_items(id),
        status_value text NOT NULL,
        status_type text NOT NULL,
        author text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX project_item_statuses_item ON project_item_statuses (project_item_id, id);

    CREATE TABLE messages (
        id bigserial PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects(id),
        project_item_id bigint REFERENCES project_items(id),
        author_role text NOT NULL CHECK (author_role IN ('user', 'provider', 'mediator')),
        author_uid text,
        author_email text,
        author_name text,
        scope text NOT NULL CHECK (scope IN ('public', 'internal', 'user_direct')),
        content text NOT NULL,
        edited boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX messages_project ON messages (project_id, project_item_id, id);

    -- The Ordering API's event log. Rows are inserted only while holding the events lock (see
    -- EventLog), so created_at and id grow in commit order and pollers never skip a late commit.
    CREATE TABLE events (
        id bigserial PRIMARY KEY,
        created_at timestamptz NOT NULL,
        type text NOT NULL CHECK (type IN ('create', 'update', 'delete')),
        resource text NOT NULL CHECK (resource IN ('project', 'project_item', 'message')),
        project_id bigint NOT NULL,
        project_item_id bigint,
        project_item_iid integer,
        message_id bigint,
        changes jsonb NOT NULL DEFAULT '[]'
    );
    CREATE INDEX events_created ON events (created_at, id);
    CREATE INDEX events_project ON events (project_id, created_at);

    -- Messages to publish, written in the same transaction as the state change they follow.
    CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        message_id uuid NOT NULL,
        exchange text NOT NULL,
        routing_key text NOT NULL,
        type text NOT NULL,
        correlation_id text,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
    );

    -- Messages a consumer has already handled, so a redelivery changes nothing.
    CREATE TABLE inbox (
        consumer text NOT NULL,
        message_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
    );
    CREATE INDEX inbox_processed ON inbox (processed_at);

    -- Every command a client sent, by request id (the Idempotency-Key), with its outcome.
    CREATE TABLE requests (
        request_id uuid PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users(id),
        kind text NOT NULL,
        body_hash text NOT NULL,
        status integer NOT NULL,
        result jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
    );

    -- The delivery log of oms-notifier: one row per delivery id, updated on every attempt.
    CREATE TABLE deliveries (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('trigger', 'email', 'callback')),
        target text NOT NULL,
        oms_id bigint REFERENCES omses(id) ON DELETE SET NULL,
        status text NOT NULL CHECK (status IN ('delivered', 'retrying', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        message jsonb NOT NULL,
        first_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
    );
    CREATE INDEX deliveries_status ON deliveries (status, last_attempt_at);

    -- Daily roll-ups kept by oms-metrics, per provider, service and offer.
    CREATE TABLE metric_rollups (
        day date NOT NULL,
        metric text NOT NULL,
        provider_id bigint NOT NULL DEFAULT 0,
        service_id bigint NOT NULL DEFAULT 0,
        offer_id bigint NOT NULL DEFAULT 0,
        label text NOT NULL DEFAULT '',
        count bigint NOT NULL DEFAULT 0,
        sum double precision NOT NULL DEFAULT 0,
        PRIMARY KEY (day, metric, provider_id, service_id, offer_id, label)
    );

    -- TMF622 hub listeners and cancellation requests.
    CREATE TABLE hub_listeners (
        id uuid PRIMARY KEY,
        user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        callback text NOT NULL,
        query text,
        created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE cancellations (
        id bigserial PRIMARY KEY,
        public_id text NOT NULL UNIQUE,
        order_id bigint NOT NULL REFERENCES orders(id),
        user_id bigint NOT NULL REFERENCES users(id),
        state text NOT NULL DEFAULT 'acknowledged',
        cancellation_reason text,
        requested_cancellation_date timestamptz,
        effective_cancellation_date timestamptz,
        tmf jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    """#)
}
