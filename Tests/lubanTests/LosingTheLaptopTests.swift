import Foundation
import Testing

/// The office's laptop is lost: the nightly backup, with its key, is all there is. On a new
/// machine the register comes back whole and signing; without the key, nothing makes a second
/// key beside a register the first one signed.
@Suite struct LosingTheLaptopTests {
    @Test func aBackupWithItsKeyRestoresASigningOfficeAndInitNeverMakesASecondKey() throws {
        let office = try User()
        try office.demo()
        let publicKey = try office.ok("issuer", "key")
        #expect(publicKey.hasPrefix("ed25519:"))
        // Without --with-key, the backup says the key is not in it.
        let bare = office.folder.appendingPathComponent("bare.sqlite").path
        let plain = try office.run(["backup", bare])
        #expect(plain.status == 0 && plain.stderr.contains("the issuer key is not in the backup"), "\(plain.stderr)")
        #expect(!FileManager.default.fileExists(atPath: bare + ".issuer-key"))
        let kept = office.folder.appendingPathComponent("nightly.sqlite").path
        #expect(try office.ok("backup", kept, "--with-key").contains("is copied to \(kept).issuer-key"))
        #expect(try FileManager.default.attributesOfItem(atPath: kept + ".issuer-key")[.posixPermissions] as? Int == 0o600)

        // A new machine, restored from the backup without its key: restore says what to do, init
        // refuses and writes no key, the register is not signed by a stranger.
        var lost = try User()
        let restoredBare = try lost.run(["restore", bare])
        #expect(restoredBare.status == 0 && restoredBare.stderr.contains("does not exist, and this database's certificates were signed by key"))
        let initAfter = try lost.run(["init"])
        #expect(initAfter.status == 1 && initAfter.stderr.contains("no new key is made"), "\(initAfter.stderr)")
        #expect(!FileManager.default.fileExists(atPath: lost.database + ".issuer-key"))
        #expect(try lost.run(["certify", "2016-1"]).status == 1)

        // Another new machine, restored from the backup with its key: the key is put back, the
        // register checks, certificates print, and the log says when it was restored.
        lost = try User()
        #expect(try lost.ok("restore", kept).contains("the issuer key (fingerprint 385b1d694ae86d43) was put back from \(kept).issuer-key"))
        let check = try lost.run(["check"])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(try lost.ok("issuer", "key") == publicKey)
        #expect(try lost.ok("certificate", "print", "LB-2016-0061-X").contains("LB-2016-0061-X"))
        #expect(try lost.ok("log").contains("restore"))
        // A second backup with the key never overwrites the first one's key file.
        let again = try office.run(["backup", kept, "--with-key"])
        #expect(again.status != 0)
    }
}
