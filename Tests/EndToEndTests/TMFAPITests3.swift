import Foundation
import Testing
import TestSupport
import Wire

extension EndToEnd {
    /// `GET /productOrder` over a few hundred orders: counts, paging, TMF630 filters (those the
    /// database applies and those applied in memory must agree), sort, fields, who sees what.
    @Suite("TMF622 API: list", .serialized)
    struct TMFAPIListTests {
        static let categories = ["alpha", "beta", "gamma"]

        /// An order the test created, with what it was created with.
        struct Made: Sendable {
            let index: Int
            let id: String
            let category: String
            let priority: String
            let description: String
            let orderDate: String
        }

        static func make(_ w: TMFAPIWorld, _ index: Int) async throws -> Made {
            let category = categories[index % 3], priority = String(1 + index % 2), description = "bulk-\(index)"
            let response = try await w.create(TMFAPIWorld.order([
                "category": .string(category), "priority": .string(priority), "description": .string(description)]))
            #expect(response.status == 201, "\(index): \(response.text)")
            return Made(index: index, id: try #require(response.json?["id"]?.stringValue), category: category, priority: priority,
                        description: description, orderDate: try #require(response.json?["orderDate"]?.stringValue))
        }

        /// Creates the orders `indices`, eight at a time.
        static func makeAll(_ w: TMFAPIWorld, _ indices: Range<Int>) async throws -> [Made] {
            try await withThrowingTaskGroup(of: Made.self) { group in
                var pending = indices.makeIterator()
                for _ in 0..<8 {
                    guard let index = pending.next() else { break }
                    group.addTask { try await make(w, index) }
                }
                var made: [Made] = []
                while let one = try await group.next() {
                    made.append(one)
                    if let index = pending.next() { group.addTask { try await make(w, index) } }
                }
                return made
            }
        }

        @Test("three hundred orders: counts, pages, SQL and in-memory filters alike, sort, fields, scopes")
        func listOrders() async throws {
            try await TMFAPIWorld.run { w in
                let foreign = try await [w.created(TMFAPIWorld.order(["category": "alpha"]), w.otherToken),
                                         w.created(TMFAPIWorld.order(["category": "alpha"]), w.otherToken)].compactMap { $0["id"]?.stringValue }
                let first = try await Self.makeAll(w, 0..<150)
                let boundary = try #require(first.map(\.orderDate).max())
                let second = try await Self.makeAll(w, 150..<300)
                let all = first + second
                #expect(all.count == 300 && Set(all.map(\.id)).count == 300)
                #expect(second.allSatisfy { $0.orderDate > boundary }, "the batches overlap in time")
                let secondStart = try #require(second.map(\.orderDate).min())
                // A whole second inside the first batch.
                let seconds = try #require(Timestamp(parsing: first.map(\.orderDate).sorted()[75]).flatMap { Timestamp(parsing: $0.rfc3339Seconds) })
                func ids(_ filter: (Made) -> Bool) -> Set<String> { Set(all.filter(filter).map(\.id)) }
                // Two orders move on: the provider OMS starts their items.
                let started = all.filter { $0.index == 0 || $0.index == 150 }
                #expect(started.count == 2)
                for order in started { try await w.omsSets(order.id, "in_progress") }
                let startedIDs = Set(started.map(\.id))

                // Everything, newest first; the default page is the newest 100.
                let full = try await w.list("limit=1000")
                #expect(full.total == 300 && full.count == 300 && full.page.count == 300)
                let fullIDs = full.page.compactMap { $0["id"]?.stringValue }
                #expect(Set(fullIDs) == Set(all.map(\.id)))
                let dates = full.page.compactMap { $0["orderDate"]?.stringValue.flatMap { Timestamp(parsing: $0) } }
                #expect(dates.count == 300 && zip(dates, dates.dropFirst()).allSatisfy { !($0 < $1) }, "not newest first")
                let firstPage = try await w.list("")
                #expect(firstPage.total == 300 && firstPage.count == 100, "\(String(describing: firstPage.total))")
                #expect(firstPage.page.compactMap { $0["id"]?.stringValue } == Array(fullIDs.prefix(100)))
                #expect(try await w.ids("sort=-orderDate&limit=1000") == fullIDs)
                #expect(try await w.ids("sort=orderDate&limit=1000") == fullIDs.reversed())

                // Pages of 70 put together are the whole list, once each; past the end: empty, with the total.
                var paged: [String] = []
                for offset in stride(from: 0, to: 300, by: 70) {
                    let page = try await w.list("offset=\(offset)&limit=70")
                    #expect(page.total == 300 && page.count == min(70, 300 - offset) && page.page.count == page.count, "offset \(offset)")
                    paged += page.page.compactMap { $0["id"]?.stringValue }
                }
                #expect(paged == fullIDs)
                let beyond = try await w.list("offset=500&limit=10")
                #expect(beyond.page.isEmpty && beyond.total == 300 && beyond.count == 0)
                for (query, field) in [("limit=1001", "limit"), ("limit=0", "limit"), ("offset=-1", "offset"), ("limit=x", "limit"),
                                       ("colour=red", "colour"), ("state.gt=a,b", "state")] {
                    expectTMFError(try await w.send("GET", "/productOrder?\(query)", w.customer), 400, "invalidAttribute",
                                   field: field, query)
                }

                // Filters the database applies.
                let pushed: [(String, Set<String>)] = [
                    ("category=alpha", ids { $0.category == "alpha" }),
                    ("category=alpha,beta", ids { $0.category != "gamma" }),
                    ("priority=1&category=alpha", ids { $0.priority == "1" && $0.category == "alpha" }),
                    ("state=acknowledged", Set(all.map(\.id)).subtracting(startedIDs)),
                    ("state.ne=acknowledged", startedIDs),
                    ("state=acknowledged,inProgress", Set(all.map(\.id))),
                    ("state=inProgress&category=gamma", []),
                    ("orderDate.gt=\(boundary)", Set(second.map(\.id))),
                    ("orderDate.lte=\(boundary)", Set(first.map(\.id))),
                    ("orderDate%3E=\(secondStart)", Set(second.map(\.id))),
                    ("orderDate.gt=\(boundary)&orderDate.lt=\(secondStart)", []),
                    ("id=\(all[7].id)", [all[7].id]),
                    ("id=\(all[7].id),\(all[8].id),\(foreign[0])", [all[7].id, all[8].id]),
                    ("description=bulk-42", ids { $0.description == "bulk-42" }),
                    ("state.ne=acknowledged,inProgress", []),
                    ("orderDate=\(boundary)", ids { $0.orderDate == boundary }),
                    ("orderDate.gt=\(seconds.rfc3339Seconds)", ids { Timestamp(parsing: $0.orderDate).map { seconds < $0 } ?? false }),
                    ("orderDate.gt=2020-01-01", Set(all.map(\.id))),
                    ("orderDate.lt=2020-01-01", []),
                ]
                // Each also with a condition only memory can apply (every order has an item "1"): the same answer.
                for (query, expected) in pushed {
                    let result = try await w.list(query + "&limit=1000")
                    let got = result.page.compactMap { $0["id"]?.stringValue }
                    #expect(Set(got) == expected && got.count == expected.count && result.total == expected.count, "\(query): \(got.count)")
                    #expect(got == fullIDs.filter(expected.contains), "\(query): not newest first")
                    // `productOrderItem.id` is compared by the database, `productOrderItem.action` only in memory.
                    for extra in ["productOrderItem.id=1", "productOrderItem.action=add"] {
                        let twin = try await w.list(query + "&\(extra)&limit=1000")
                        #expect(twin.page == result.page && twin.total == result.total && twin.count == result.count, "\(query)&\(extra)")
                    }
                }
                // Filters applied in memory give what the database gives, in the same order and pages.
                let sameAsPushed: [(String, String)] = [
                    ("category=alpha", "category=alpha&productOrderItem.productOffering.id=demo-compute/1"),
                    ("category=alpha&state=acknowledged", "category=alpha&productOrderItem.state=acknowledged"),
                    ("category=beta", "category=beta&description.regex=%5Ebulk-"),
                    ("orderDate.gt=\(boundary)", "orderDate.gt=\(boundary)&productOrderItem.id=1"),
                    ("state.ne=acknowledged", "productOrderItem.state=inProgress"),
                    ("category=alpha&productOrderItem.state=acknowledged", "category=alpha&productOrderItem.state=acknowledged"),
                    ("productOrderItem.productOffering.id=demo-compute/1", "productOrderItem.productOffering.id=demo-compute/1"),
                ]
                // The right-hand side is forced into memory by a condition only memory applies.
                for (sql, inMemory) in sameAsPushed {
                    let memory = inMemory + "&productOrderItem.action=add"
                    for paging in ["limit=1000", "offset=10&limit=25", "offset=990&limit=5"] {
                        let a = try await w.list(sql + "&" + paging), b = try await w.list(memory + "&" + paging)
                        #expect(a.page == b.page && a.total == b.total && a.count == b.count, "\(sql) vs \(memory) (\(paging))")
                    }
                }
                let regex = try await w.ids("category=alpha&description.regex=%5Ebulk-1&limit=1000")
                #expect(Set(regex) == ids { $0.category == "alpha" && $0.description.hasPrefix("bulk-1") } && !regex.isEmpty)
                // Orders created in one batch of the processor share their orderDate: ties break alike too.
                #expect(try await w.ids("sort=orderDate&category=alpha&productOrderItem.id=1&limit=1000")
                        == fullIDs.filter(ids { $0.category == "alpha" }.contains).reversed())
                #expect(try await w.ids("sort=orderDate&state=acknowledged&productOrderItem.state=acknowledged&limit=1000")
                        == (try await w.ids("sort=orderDate&state=acknowledged&limit=1000")))

                // fields: only what was asked, with id, href and @type.
                let slim = try await w.list("fields=state&limit=5")
                #expect(slim.page.count == 5 && slim.total == 300)
                for order in slim.page {
                    #expect(Set(order.objectValue?.keys.map { $0 } ?? []) == ["id", "href", "@type", "state"], "\(order)")
                }

                // Who sees what: another customer their own; the provider and the operator everything.
                let theirs = try await w.list("limit=1000", w.otherToken)
                #expect(theirs.total == 2 && Set(theirs.page.compactMap { $0["id"]?.stringValue }) == Set(foreign))
                #expect(try await w.list("category=beta", w.otherToken).total == 0)
                for token in [w.operatorToken, w.provider, w.adminToken] {
                    #expect(try await w.list("limit=1", token).total == 302)
                    #expect(try await w.list("category=alpha&productOrderItem.state=acknowledged", token).total == 100)
                }
            }
        }
    }
}
