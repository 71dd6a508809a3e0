import GRDB

// MARK: - Schema

extension LubanDatabase {
    /// Named migrations; a shipped one is never edited, a change is a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 records") { db in
            try db.execute(sql: """
                CREATE TABLE curriculum (
                    id TEXT PRIMARY KEY,
                    title TEXT NOT NULL,
                    definition TEXT NOT NULL,
                    source TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    loaded_at TEXT NOT NULL);
                CREATE TABLE cohort (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    title TEXT,
                    curriculum_id TEXT NOT NULL REFERENCES curriculum(id),
                    start_date TEXT NOT NULL,
                    end_date TEXT NOT NULL,
                    site TEXT NOT NULL,
                    CHECK (end_date >= start_date));
                CREATE TABLE trainee (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    id_number TEXT UNIQUE,
                    employer TEXT,
                    craft TEXT,
                    phone TEXT,
                    forgotten_on TEXT);
                CREATE TABLE enrolment (
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id),
                    trainee_id INTEGER NOT NULL REFERENCES trainee(id),
                    PRIMARY KEY (cohort_id, trainee_id)) WITHOUT ROWID;
                CREATE INDEX enrolment_trainee ON enrolment(trainee_id);
                CREATE TABLE session (
                    id INTEGER PRIMARY KEY,
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id),
                    date TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('classroom', 'field', 'demonstration')),
                    hours REAL NOT NULL CHECK (hours > 0 AND hours <= 12),
                    course TEXT NOT NULL DEFAULT '',
                    site TEXT NOT NULL DEFAULT '',
                    expert TEXT NOT NULL DEFAULT '',
                    title TEXT NOT NULL DEFAULT '');
                CREATE UNIQUE INDEX session_identity ON session(cohort_id, date, kind, course, site, title);
                CREATE INDEX session_date ON session(date);
                CREATE TABLE attendance_entry (
                    id INTEGER PRIMARY KEY,
                    session_id INTEGER NOT NULL REFERENCES session(id),
                    trainee_id INTEGER NOT NULL REFERENCES trainee(id),
                    status TEXT NOT NULL CHECK (status IN ('present', 'late', 'excused', 'absent')),
                    note TEXT NOT NULL DEFAULT '',
                    recorded_at TEXT NOT NULL,
                    recorded_by TEXT NOT NULL);
                CREATE INDEX attendance_entry_session ON attendance_entry(session_id, trainee_id);
                CREATE TABLE attendance (
                    session_id INTEGER NOT NULL REFERENCES session(id),
                    trainee_id INTEGER NOT NULL REFERENCES trainee(id),
                    status TEXT NOT NULL,
                    note TEXT NOT NULL DEFAULT '',
                    entry_id INTEGER NOT NULL REFERENCES attendance_entry(id),
                    PRIMARY KEY (session_id, trainee_id)) WITHOUT ROWID;
                CREATE INDEX attendance_trainee ON attendance(trainee_id);
                CREATE TABLE signoff (
                    id INTEGER PRIMARY KEY,
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id),
                    trainee_id INTEGER NOT NULL REFERENCES trainee(id),
                    technique TEXT NOT NULL,
                    expert TEXT NOT NULL,
                    result TEXT NOT NULL CHECK (result IN ('pass', 'fail')),
                    note TEXT NOT NULL DEFAULT '',
                    recorded_at TEXT NOT NULL,
                    recorded_by TEXT NOT NULL);
                CREATE INDEX signoff_trainee ON signoff(trainee_id, cohort_id, technique);
                CREATE INDEX signoff_cohort ON signoff(cohort_id);
                CREATE TABLE certificate (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    tier TEXT NOT NULL,
                    trainee_id INTEGER NOT NULL REFERENCES trainee(id),
                    cohort_id INTEGER NOT NULL REFERENCES cohort(id),
                    issued_on TEXT NOT NULL,
                    classroom_hours REAL NOT NULL,
                    field_hours REAL NOT NULL,
                    demonstration_hours REAL NOT NULL,
                    techniques TEXT NOT NULL,
                    holder_salt TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    signature TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
                    revoked_on TEXT,
                    revoke_reason TEXT);
                CREATE INDEX certificate_trainee ON certificate(trainee_id);
                CREATE INDEX certificate_cohort ON certificate(cohort_id);
                CREATE TABLE certificate_number (
                    year INTEGER PRIMARY KEY,
                    last_serial INTEGER NOT NULL);
                CREATE TABLE issuer (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    public_key TEXT NOT NULL);
                CREATE TABLE change_log (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    user TEXT NOT NULL,
                    action TEXT NOT NULL,
                    detail TEXT NOT NULL);

                -- The ledger and the register are append-only: corrections are new entries,
                -- certificates are revoked, never deleted.
                CREATE TRIGGER attendance_entry_no_update BEFORE UPDATE ON attendance_entry
                    BEGIN SELECT RAISE(ABORT, 'attendance entries are never changed; record a correction'); END;
                CREATE TRIGGER attendance_entry_no_delete BEFORE DELETE ON attendance_entry
                    BEGIN SELECT RAISE(ABORT, 'attendance entries are never deleted; record a correction'); END;
                CREATE TRIGGER signoff_no_delete BEFORE DELETE ON signoff
                    BEGIN SELECT RAISE(ABORT, 'sign-offs are never deleted; record a new verdict'); END;
                CREATE TRIGGER certificate_no_delete BEFORE DELETE ON certificate
                    BEGIN SELECT RAISE(ABORT, 'certificates are never deleted; revoke with: luban certificate revoke'); END;
                """)
        }
        return migrator
    }
}
