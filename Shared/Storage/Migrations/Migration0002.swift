extension Migrations {
    /// OMS self-service: each OMS registered through the API gets its own service user, whose
    /// token is the OMS's token (shown once, rotated by `POST /api/v1/oms/{id}/token`).
    static let m0002 = Migration(version: 2, name: "oms service users", sql: #"""
    ALTER TABLE omses ADD COLUMN service_user_id bigint REFERENCES users(id);
    CREATE UNIQUE INDEX omses_service_user ON omses (service_user_id) WHERE service_user_id IS NOT NULL;
    CREATE INDEX bundles_by_main_offer ON bundles (main_offer_id);
    CREATE INDEX bundle_offers_by_offer ON bundle_offers (offer_id);
    CREATE INDEX project_items_by_offer ON project_items (offer_id);
    CREATE INDEX project_items_by_bundle ON project_items (bundle_id) WHERE bundle_id IS NOT NULL;
    """#)
}
