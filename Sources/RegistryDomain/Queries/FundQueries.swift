import RegistryStorage

/// A fund with what has been allocated and paid out of it.
public struct FundSummary: Sendable, Equatable {
    public let fund: Fund
    public let allocations: Int
    public let allocated: Money
    public let disbursed: Money

    /// Budget not yet allocated (negative when over-allocated).
    public var unallocated: Money { Money(fen: fund.budget.fen - allocated.fen) }
    /// Allocated but not yet paid.
    public var remaining: Money { Money(fen: allocated.fen - disbursed.fen) }
    /// Paid ÷ allocated, in basis points (nil when nothing is allocated).
    public var disbursementRateBasisPoints: Int64? {
        Percent.basisPoints(disbursed.fen, of: allocated.fen)
    }
}

/// An allocation with what has been paid out of it.
public struct AllocationSummary: Sendable, Equatable {
    public let allocation: Allocation
    public let projectName: String
    public let payments: Int
    public let disbursed: Money

    public var disbursementRateBasisPoints: Int64 {
        Percent.basisPoints(disbursed.fen, of: allocation.amount.fen)!  // an allocation is more than zero
    }
}

extension Registry {
    /// Funds (of one year, or all) with their totals, up to `asOf` when given.
    public func funds(year: Int? = nil, asOf: ISODate? = nil) throws -> [FundSummary] {
        try read { try FundSummary.all(year: year, asOf: asOf, in: db) }
    }

    /// One fund by code or name, its allocations, and each allocation's payments.
    public func fund(_ code: String) throws -> (summary: FundSummary, allocations: [AllocationSummary], disbursements: [Disbursement]) {
        try read {
            let key = try ReferenceResolver(db: db).fund(code)
            let summary = try FundSummary.all(year: nil, asOf: nil, code: key, in: db)[0]
            let allocations = try db.rows(
                """
                SELECT a.*, p.name AS project_name,
                       (SELECT count(*) FROM disbursement WHERE allocation_id = a.id) AS payments,
                       (SELECT coalesce(sum(amount_fen), 0) FROM disbursement WHERE allocation_id = a.id) AS disbursed_fen
                FROM allocation AS a JOIN project AS p ON p.code = a.project_code
                WHERE a.fund_code = ? ORDER BY a.approved_on, a.id
                """, [.text(key)]
            ).map { row in
                AllocationSummary(
                    allocation: try Allocation(row: row), projectName: try row.get("project_name"),
                    payments: try row.get("payments"), disbursed: Money(fen: try row.get("disbursed_fen")))
            }
            let disbursements = try db.rows(
                """
                SELECT d.* FROM disbursement AS d JOIN allocation AS a ON a.id = d.allocation_id
                WHERE a.fund_code = ? ORDER BY d.paid_on, d.id
                """, [.text(key)]
            ).map(Disbursement.init(row:))
            return (summary, allocations, disbursements)
        }
    }
}

extension Registry {
    /// Every allocation, in the order recorded.
    public func allocations() throws -> [Allocation] {
        try db.rows("\(Allocation.table.selectSQL) ORDER BY rowid").map(Allocation.init(row:))
    }

    /// Every disbursement, in the order recorded.
    public func disbursements() throws -> [Disbursement] {
        var payments: [Disbursement] = []
        try forEachDisbursement { payments.append($0) }
        return payments
    }

    /// Every disbursement in the order recorded, one at a time as they are read.
    public func forEachDisbursement(_ body: (Disbursement) throws -> Void) throws {
        try db.forEachRow("\(Disbursement.table.selectSQL) ORDER BY rowid") { try body(Disbursement(row: $0)) }
    }
}

extension FundSummary {
    static func all(year: Int?, asOf: ISODate?, code: String? = nil, in db: Database) throws -> [FundSummary] {
        let through = asOf?.description ?? "9999-12-31"
        return try db.rows(
            """
            SELECT f.*,
                   (SELECT count(*) FROM allocation WHERE fund_code = f.code AND approved_on <= ?2) AS allocations,
                   (SELECT coalesce(sum(amount_fen), 0) FROM allocation WHERE fund_code = f.code AND approved_on <= ?2) AS allocated_fen,
                   (SELECT coalesce(sum(d.amount_fen), 0) FROM allocation AS a JOIN disbursement AS d ON d.allocation_id = a.id
                    WHERE a.fund_code = f.code AND d.paid_on <= ?2) AS disbursed_fen
            FROM fund AS f
            WHERE (?1 IS NULL OR f.year = ?1) AND (?3 IS NULL OR f.code = ?3)
            ORDER BY f.year, f.code
            """, [year.map { .integer(Int64($0)) } ?? .null, .text(through), code.map { .text($0) } ?? .null]
        ).map { row in
            FundSummary(
                fund: try Fund(row: row), allocations: try row.get("allocations"),
                allocated: Money(fen: try row.get("allocated_fen")), disbursed: Money(fen: try row.get("disbursed_fen")))
        }
    }
}

extension Registry {
    /// The allocation with `id`, or nil.
    public func allocation(id: String) throws -> Allocation? {
        try db.record(Allocation.self, key: [.text(TextNormalization.halfwidthTrimmed(id))])
    }

    /// A project's allocations, by approval date, and the payments of each.
    public func funding(ofProject code: String) throws -> [(allocation: Allocation, payments: [Disbursement])] {
        let key = TextNormalization.halfwidthTrimmed(code)
        let allocations = try db.rows("\(Allocation.table.selectSQL) WHERE project_code = ? ORDER BY approved_on, id", [.text(key)])
            .map(Allocation.init(row:))
        return try allocations.map { allocation in
            let payments = try db.rows("\(Disbursement.table.selectSQL) WHERE allocation_id = ? ORDER BY paid_on, id", [.text(allocation.id)])
                .map(Disbursement.init(row:))
            return (allocation, payments)
        }
    }
}
