public import Contracts
public import PostgresClient

extension PostgresConnection {
    static let projectColumns = """
        p.id, p.user_id, p.name, p.customer_typology, p.organization, p.department, p.department_webpage,
        p.scientific_domains, p.country, p.collaboration_countries, p.user_group_name, p.reason_for_access, p.created_at,
        u.uid, u.email, u.first_name, u.last_name,
        ARRAY(SELECT iid FROM project_items i WHERE i.project_id = p.id ORDER BY iid) AS item_iids
        FROM projects p JOIN users u ON u.id = p.user_id
        """

    /// The same without the item list, whose cost grows with the project (for hot paths).
    static let projectColumnsWithoutItems = """
        p.id, p.user_id, p.name, p.customer_typology, p.organization, p.department, p.department_webpage,
        p.scientific_domains, p.country, p.collaboration_countries, p.user_group_name, p.reason_for_access, p.created_at,
        u.uid, u.email, u.first_name, u.last_name, '{}'::int8[] AS item_iids
        FROM projects p JOIN users u ON u.id = p.user_id
        """

    /// A project by id; with `withItems: false` its `itemIIDs` stay empty (cheap for any size).
    public func findProject(id: Int64, withItems: Bool = true) throws -> ProjectRecord? {
        let columns = withItems ? Self.projectColumns : Self.projectColumnsWithoutItems
        return try query("SELECT \(unsafeRaw: columns) WHERE p.id = \(id)").first.map(ProjectRecord.init(row:))
    }

    /// A user's projects in id order, after `afterID`, at most `limit`.
    public func projects(ofUser userID: Int64, afterID: Int64 = 0, limit: Int = 100) throws -> [ProjectRecord] {
        try query("""
            SELECT \(unsafeRaw: Self.projectColumns)
            WHERE p.user_id = \(userID) AND p.id > \(afterID) ORDER BY p.id LIMIT \(limit)
            """).map(ProjectRecord.init(row:))
    }

    /// Projects an OMS may see (all for the default OMS; those with an item it handles otherwise).
    public func projects(visibleTo omsID: Int64, isDefault: Bool, afterID: Int64, limit: Int) throws -> [ProjectRecord] {
        try query("""
            SELECT \(unsafeRaw: Self.projectColumns)
            WHERE p.id > \(afterID)
              AND (\(isDefault) OR EXISTS (SELECT 1 FROM project_items i WHERE i.project_id = p.id AND i.oms_id = \(omsID)))
            ORDER BY p.id LIMIT \(limit)
            """).map(ProjectRecord.init(row:))
    }

    /// Inserts a project. - Returns: its id.
    public func insertProject(userID: Int64, _ a: ProjectAttributes) throws -> Int64 {
        try query("""
            INSERT INTO projects (user_id, name, customer_typology, organization, department, department_webpage,
                                  scientific_domains, country, collaboration_countries, user_group_name, reason_for_access)
            VALUES (\(userID), \(a.name), \(a.customerTypology), \(a.organization), \(a.department), \(a.departmentWebpage),
                    \(a.scientificDomains)::text[], \(a.country), \(a.collaborationCountries)::text[], \(a.userGroupName),
                    \(a.reasonForAccess))
            RETURNING id
            """)[0].int("id")
    }
}

extension ProjectRecord {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.int("id"), userID: try row.int("user_id"), ownerUID: try row.string("uid"),
            ownerEmail: try row.string("email"), ownerFirstName: try row.string("first_name"),
            ownerLastName: try row.string("last_name"),
            attributes: ProjectAttributes(
                name: try row.string("name"), customerTypology: try row.optionalString("customer_typology"),
                organization: try row.optionalString("organization"), department: try row.optionalString("department"),
                departmentWebpage: try row.optionalString("department_webpage"),
                scientificDomains: try row.stringArray("scientific_domains"), country: try row.optionalString("country"),
                collaborationCountries: try row.stringArray("collaboration_countries"),
                userGroupName: try row.optionalString("user_group_name"),
                reasonForAccess: try row.optionalString("reason_for_access")),
            itemIIDs: try row.intArray("item_iids"), createdAt: try row.timestamp("created_at"))
    }
}
