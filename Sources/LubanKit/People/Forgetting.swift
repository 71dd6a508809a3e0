import Foundation
import GRDB

// MARK: - Forgetting a person (PIPL art. 47)

extension LubanDatabase {
    /// Erases a person's details on request (PIPL art. 47): name, ID number, employer, craft
    /// and phone. What they did stays, keyed by their code, so every total stays the same; their
    /// certificates stay verifiable by number, since the register signs only a salted digest of
    /// the holder.
    public func forget(_ reference: String, on date: CalendarDate = .today) throws(LubanError) -> Trainee {
        let trainee = try trainee(reference)
        guard trainee.forgottenOn == nil else {
            throw .conflict(
                zh: "\(trainee.code) 的个人信息已于 \(trainee.forgottenOn!) 删除",
                en: "\(trainee.code)'s details were already erased on \(trainee.forgottenOn!)")
        }
        let erased = try write("trainee forget", detail: trainee.code) { db in
            try Trainee.erase(traineeID: trainee.id!, on: date, db)
            return try Trainee.fetchOne(db, key: trainee.id)!
        }
        if let path {
            // Old pages of the person's rows may still sit in the write-ahead log: fold it into
            // the file (where secure_delete has overwritten them) and empty it.
            _ = try? writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try ErasureList(databasePath: path).add(trainee.code)
        }
        return erased
    }

    /// What an erased person's name reads as.
    public static let erasedName = "(已删除 erased)"
}
