import GRDB

// MARK: - Schema

extension LubanDatabase {
    /// Named migrations; a shipped one is never edited, a change is a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 records") { db in
            try db.execute(
                sql: """
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
                        forgotten_on TEXT,
                        attended_sessions INTEGER NOT NULL DEFAULT 0);
                    CREATE TABLE enrolment (
                        cohort_id INTEGER NOT NULL REFERENCES cohort(id),
                        trainee_id INTEGER NOT NULL REFERENCES trainee(id),
                        attended_sessions INTEGER NOT NULL DEFAULT 0,
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
                    -- The ledger: every mark ever recorded, in the order recorded (id). Marks come in
                    -- batches (one sheet read back, one `luban attend`): when, by whom and from which
                    -- file is said once per batch.
                    CREATE TABLE attendance_batch (
                        id INTEGER PRIMARY KEY,
                        recorded_at TEXT NOT NULL,
                        recorded_by TEXT NOT NULL,
                        source TEXT NOT NULL);
                    CREATE TABLE attendance_entry (
                        id INTEGER PRIMARY KEY,
                        session_id INTEGER NOT NULL REFERENCES session(id),
                        trainee_id INTEGER NOT NULL REFERENCES trainee(id),
                        status TEXT NOT NULL CHECK (status IN ('present', 'late', 'excused', 'absent')),
                        note TEXT NOT NULL DEFAULT '',
                        batch_id INTEGER NOT NULL REFERENCES attendance_batch(id));
                    CREATE INDEX attendance_entry_session ON attendance_entry(session_id, trainee_id);
                    -- The current status of each (session, trainee): the newest ledger entry, kept in
                    -- the same transaction. Derived from attendance_entry, so it needs no foreign keys
                    -- of its own (luban check compares the two).
                    CREATE TABLE attendance (
                        session_id INTEGER NOT NULL,
                        trainee_id INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        note TEXT NOT NULL DEFAULT '',
                        entry_id INTEGER NOT NULL,
                        PRIMARY KEY (session_id, trainee_id)) WITHOUT ROWID;
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
                    -- Roll-ups for the yearly report, kept current in the transaction of each change
                    -- (luban check compares them with a full recomputation). Year 0 holds the
                    -- all-time count of distinct trainees.
                    CREATE TABLE yearly_trainee (
                        year INTEGER NOT NULL,
                        trainee_id INTEGER NOT NULL,
                        sessions INTEGER NOT NULL,
                        hours REAL NOT NULL,
                        PRIMARY KEY (year, trainee_id)) WITHOUT ROWID;
                    CREATE TABLE yearly_totals (
                        year INTEGER PRIMARY KEY,
                        cohorts INTEGER NOT NULL DEFAULT 0,
                        sessions INTEGER NOT NULL DEFAULT 0,
                        classroom_hours REAL NOT NULL DEFAULT 0,
                        field_hours REAL NOT NULL DEFAULT 0,
                        demonstration_hours REAL NOT NULL DEFAULT 0,
                        person_times INTEGER NOT NULL DEFAULT 0,
                        trainees INTEGER NOT NULL DEFAULT 0,
                        attended_hours REAL NOT NULL DEFAULT 0,
                        certificates INTEGER NOT NULL DEFAULT 0);
                    CREATE TRIGGER cohort_rollup AFTER INSERT ON cohort BEGIN
                        INSERT INTO yearly_totals (year) VALUES (CAST(substr(NEW.start_date, 1, 4) AS INTEGER)) ON CONFLICT DO NOTHING;
                        UPDATE yearly_totals SET cohorts = cohorts + 1 WHERE year = CAST(substr(NEW.start_date, 1, 4) AS INTEGER);
                    END;
                    CREATE TRIGGER session_rollup AFTER INSERT ON session BEGIN
                        INSERT INTO yearly_totals (year) VALUES (CAST(substr(NEW.date, 1, 4) AS INTEGER)) ON CONFLICT DO NOTHING;
                        UPDATE yearly_totals SET sessions = sessions + 1,
                            classroom_hours = classroom_hours + (CASE NEW.kind WHEN 'classroom' THEN NEW.hours ELSE 0 END),
                            field_hours = field_hours + (CASE NEW.kind WHEN 'field' THEN NEW.hours ELSE 0 END),
                            demonstration_hours = demonstration_hours + (CASE NEW.kind WHEN 'demonstration' THEN NEW.hours ELSE 0 END)
                        WHERE year = CAST(substr(NEW.date, 1, 4) AS INTEGER);
                    END;
                    CREATE TRIGGER certificate_rollup AFTER INSERT ON certificate WHEN NEW.status = 'valid' BEGIN
                        INSERT INTO yearly_totals (year) VALUES (CAST(substr(NEW.issued_on, 1, 4) AS INTEGER)) ON CONFLICT DO NOTHING;
                        UPDATE yearly_totals SET certificates = certificates + 1 WHERE year = CAST(substr(NEW.issued_on, 1, 4) AS INTEGER);
                    END;
                    CREATE TRIGGER certificate_status_rollup AFTER UPDATE OF status ON certificate WHEN NEW.status IS NOT OLD.status BEGIN
                        UPDATE yearly_totals SET certificates = certificates + (CASE NEW.status WHEN 'valid' THEN 1 ELSE -1 END)
                        WHERE year = CAST(substr(NEW.issued_on, 1, 4) AS INTEGER);
                    END;
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
        // v2: the ledger alone holds attendance. The current status of a (session, trainee) is
        // its newest entry, read through the view `attendance` (the same columns the v1 table
        // had). The ledger is clustered by (session, trainee, entry number), so a mark is one
        // b-tree insert where v1 wrote a row, an index entry and a current-status row. Entry
        // numbers still grow in the order marks are recorded: each batch takes the numbers
        // after the previous batch's (`first_entry` … `last_entry`). And every CHECK that listed
        // three or more values with IN is written with OR: SQLite evaluates an IN list by
        // building a temporary b-tree on every insert, which cost a third of an import's time.
        // SQLite cannot alter a CHECK, so the two tables are rebuilt (foreign keys are checked
        // once, at the end of the migration).
        migrator.registerMigration("v2 clustered ledger, cheap checks") { db in
            try db.execute(
                sql: """
                    DROP TABLE attendance;

                    ALTER TABLE attendance_batch ADD COLUMN first_entry INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE attendance_batch ADD COLUMN last_entry INTEGER NOT NULL DEFAULT 0;
                    UPDATE attendance_batch SET first_entry = r.first, last_entry = r.last
                        FROM (SELECT batch_id, min(id) AS first, max(id) AS last FROM attendance_entry GROUP BY batch_id) AS r
                        WHERE r.batch_id = attendance_batch.id;

                    CREATE TABLE new_attendance_entry (
                        id INTEGER NOT NULL,
                        session_id INTEGER NOT NULL REFERENCES session(id),
                        trainee_id INTEGER NOT NULL REFERENCES trainee(id),
                        status TEXT NOT NULL CHECK (status = 'present' OR status = 'late' OR status = 'excused' OR status = 'absent'),
                        note TEXT NOT NULL DEFAULT '',
                        batch_id INTEGER NOT NULL REFERENCES attendance_batch(id),
                        PRIMARY KEY (session_id, trainee_id, id)) WITHOUT ROWID;
                    INSERT INTO new_attendance_entry (id, session_id, trainee_id, status, note, batch_id)
                        SELECT id, session_id, trainee_id, status, note, batch_id FROM attendance_entry;
                    DROP TABLE attendance_entry;
                    ALTER TABLE new_attendance_entry RENAME TO attendance_entry;
                    CREATE TRIGGER attendance_entry_no_update BEFORE UPDATE ON attendance_entry
                        BEGIN SELECT RAISE(ABORT, 'attendance entries are never changed; record a correction'); END;
                    CREATE TRIGGER attendance_entry_no_delete BEFORE DELETE ON attendance_entry
                        BEGIN SELECT RAISE(ABORT, 'attendance entries are never deleted; record a correction'); END;

                    CREATE TABLE new_session (
                        id INTEGER PRIMARY KEY,
                        cohort_id INTEGER NOT NULL REFERENCES cohort(id),
                        date TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind = 'classroom' OR kind = 'field' OR kind = 'demonstration'),
                        hours REAL NOT NULL CHECK (hours > 0 AND hours <= 12),
                        course TEXT NOT NULL DEFAULT '',
                        site TEXT NOT NULL DEFAULT '',
                        expert TEXT NOT NULL DEFAULT '',
                        title TEXT NOT NULL DEFAULT '');
                    INSERT INTO new_session (id, cohort_id, date, kind, hours, course, site, expert, title)
                        SELECT id, cohort_id, date, kind, hours, course, site, expert, title FROM session ORDER BY id;
                    DROP TABLE session;
                    ALTER TABLE new_session RENAME TO session;
                    CREATE UNIQUE INDEX session_identity ON session(cohort_id, date, kind, course, site, title);
                    CREATE INDEX session_date ON session(date);
                    CREATE TRIGGER session_rollup AFTER INSERT ON session BEGIN
                        INSERT INTO yearly_totals (year) VALUES (CAST(substr(NEW.date, 1, 4) AS INTEGER)) ON CONFLICT DO NOTHING;
                        UPDATE yearly_totals SET sessions = sessions + 1,
                            classroom_hours = classroom_hours + (CASE NEW.kind WHEN 'classroom' THEN NEW.hours ELSE 0 END),
                            field_hours = field_hours + (CASE NEW.kind WHEN 'field' THEN NEW.hours ELSE 0 END),
                            demonstration_hours = demonstration_hours + (CASE NEW.kind WHEN 'demonstration' THEN NEW.hours ELSE 0 END)
                        WHERE year = CAST(substr(NEW.date, 1, 4) AS INTEGER);
                    END;

                    -- The current status of each (session, trainee) marked at least once: its newest
                    -- ledger entry (entry numbers grow in the order marks are recorded).
                    CREATE VIEW attendance AS
                        SELECT e.session_id, e.trainee_id, e.status, e.note, e.id AS entry_id FROM attendance_entry e
                        WHERE NOT EXISTS (SELECT 1 FROM attendance_entry later
                                          WHERE later.session_id = e.session_id AND later.trainee_id = e.trainee_id AND later.id > e.id);
                    """)
        }
        // v3: revocations are signed like issues, and the register as a whole carries a signed
        // seal (how many certificates, which are revoked), renewed by every certify and revoke.
        migrator.registerMigration("v3 signed revocations, register seal") { db in
            try db.execute(
                sql: """
                    ALTER TABLE certificate ADD COLUMN revocation_signature TEXT;
                    CREATE TABLE register_seal (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        statement TEXT NOT NULL,
                        signature TEXT NOT NULL);
                    """)
        }
        // v4: "attended" is written once, as a view: the current status is present or late
        // (`AttendanceStatus.isAttended` says the same in Swift; a test holds them equal).
        migrator.registerMigration("v4 attended view") { db in
            try db.execute(
                sql: """
                    CREATE VIEW attended AS
                        SELECT session_id, trainee_id, status, note, entry_id FROM attendance WHERE status = 'present' OR status = 'late';
                    """)
        }
        // v5: what an office corrects. A session can be cancelled (it stays, its marks stay in
        // the ledger, and nothing counts it); an enrolment can be withdrawn from a date on.
        // "Attended" leaves out the marks of cancelled sessions.
        // Experts become records: every distinct name already on sessions and sign-offs is
        // registered (names that differ only by spaces are one), and referenced by id.
        // A cohort keeps the curriculum revision it started under (a new revision changes the
        // rules of cohorts created after it, and of one moved to it on purpose).
        // A certificate keeps its holder's name and ID number as issued (a trainee's details can
        // be corrected later), and a trainee's corrections are kept with their values until the
        // person is erased. A verdict also says when the expert assessed, and can be voided (entered by mistake:
        // it then counts as never given).
        migrator.registerMigration("v5 corrections") { db in
            try db.execute(
                sql: """
                    CREATE TABLE curriculum_revision (
                        curriculum_id TEXT NOT NULL REFERENCES curriculum(id),
                        revision INTEGER NOT NULL,
                        definition TEXT NOT NULL,
                        source TEXT NOT NULL,
                        loaded_at TEXT NOT NULL,
                        PRIMARY KEY (curriculum_id, revision)) WITHOUT ROWID;
                    INSERT INTO curriculum_revision SELECT id, revision, definition, source, loaded_at FROM curriculum;
                    ALTER TABLE cohort ADD COLUMN curriculum_revision INTEGER;
                    UPDATE cohort SET curriculum_revision = (SELECT revision FROM curriculum WHERE id = cohort.curriculum_id);
                    CREATE TRIGGER cohort_curriculum_revision AFTER INSERT ON cohort WHEN NEW.curriculum_revision IS NULL BEGIN
                        UPDATE cohort SET curriculum_revision = (SELECT revision FROM curriculum WHERE id = NEW.curriculum_id) WHERE id = NEW.id;
                    END;
                    ALTER TABLE certificate ADD COLUMN holder_name TEXT;
                    ALTER TABLE certificate ADD COLUMN holder_id TEXT;
                    UPDATE certificate SET holder_name = (SELECT name FROM trainee t WHERE t.id = certificate.trainee_id AND t.forgotten_on IS NULL),
                        holder_id = (SELECT id_number FROM trainee t WHERE t.id = certificate.trainee_id AND t.forgotten_on IS NULL);
                    CREATE TABLE trainee_change (
                        id INTEGER PRIMARY KEY,
                        trainee_id INTEGER NOT NULL REFERENCES trainee(id),
                        at TEXT NOT NULL,
                        user TEXT NOT NULL,
                        field TEXT NOT NULL,
                        before TEXT NOT NULL,
                        after TEXT NOT NULL);
                    CREATE INDEX trainee_change_trainee ON trainee_change(trainee_id);
                    CREATE TABLE expert (
                        id INTEGER PRIMARY KEY,
                        code TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL UNIQUE,
                        title TEXT,
                        craft TEXT,
                        affiliation TEXT,
                        phone TEXT,
                        techniques TEXT NOT NULL DEFAULT '');
                    WITH names AS (SELECT trim(expert) AS name FROM session WHERE trim(expert) != ''
                                   UNION ALL SELECT trim(expert) FROM signoff WHERE trim(expert) != ''),
                         keyed AS (SELECT replace(replace(name, ' ', ''), '　', '') AS key, name, min(length(name)) FROM names GROUP BY key)
                    INSERT INTO expert (code, name) SELECT printf('E%03d', row_number() OVER (ORDER BY key)), name FROM keyed;
                    ALTER TABLE session ADD COLUMN expert_id INTEGER REFERENCES expert(id);
                    ALTER TABLE signoff ADD COLUMN expert_id INTEGER REFERENCES expert(id);
                    UPDATE session SET expert_id = (SELECT e.id FROM expert e
                        WHERE replace(replace(e.name, ' ', ''), '　', '') = replace(replace(trim(session.expert), ' ', ''), '　', ''))
                        WHERE trim(expert) != '';
                    UPDATE session SET expert = (SELECT name FROM expert WHERE id = session.expert_id) WHERE expert_id IS NOT NULL;
                    UPDATE signoff SET expert_id = (SELECT e.id FROM expert e
                        WHERE replace(replace(e.name, ' ', ''), '　', '') = replace(replace(trim(signoff.expert), ' ', ''), '　', ''))
                        WHERE trim(expert) != '';
                    UPDATE signoff SET expert = (SELECT name FROM expert WHERE id = signoff.expert_id) WHERE expert_id IS NOT NULL;
                    ALTER TABLE signoff ADD COLUMN assessed_on TEXT;
                    ALTER TABLE signoff ADD COLUMN voided_on TEXT;
                    ALTER TABLE signoff ADD COLUMN void_reason TEXT;
                    ALTER TABLE session ADD COLUMN cancelled_on TEXT;
                    ALTER TABLE session ADD COLUMN cancel_reason TEXT;
                    ALTER TABLE enrolment ADD COLUMN withdrawn_on TEXT;
                    ALTER TABLE enrolment ADD COLUMN withdraw_reason TEXT;
                    DROP VIEW attended;
                    CREATE VIEW attended AS
                        SELECT a.session_id, a.trainee_id, a.status, a.note, a.entry_id FROM attendance a JOIN session s ON s.id = a.session_id
                        WHERE s.cancelled_on IS NULL AND (a.status = 'present' OR a.status = 'late');
                    """)
        }
        migrator.registerMigration("v6 web") { db in
            try db.execute(
                sql: """
                    -- Office accounts of `luban serve`: a bcrypt hash, never the password.
                    CREATE TABLE web_user (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        password_hash TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL);
                    -- Roll-call links: a random token (kept as its SHA-256, so a copy of the file
                    -- opens nothing) and a PIN, for one session, on its date, until closed.
                    CREATE TABLE rollcall_link (
                        id INTEGER PRIMARY KEY,
                        session_id INTEGER NOT NULL REFERENCES session(id),
                        token_sha256 TEXT NOT NULL UNIQUE,
                        pin TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL,
                        closed_at TEXT);
                    CREATE INDEX rollcall_link_session ON rollcall_link(session_id);
                    """)
        }
        // v7: nothing a mark writes is said twice. An entry's batch is the batch whose range of
        // entry numbers holds it, so the ledger drops its `batch_id` (a foreign-key probe and a
        // column on every mark); whether a trainee ever attended is whether any of their
        // enrolments counts an attended session, so `trainee.attended_sessions` goes (an update
        // of the roster's widest row at every first mark). The ledger is rebuilt with the
        // views over it left as they are (`legacy_alter_table`: the rename does not re-check
        // them while the old table is gone).
        migrator.registerMigration("v7 lean ledger") { db in
            try db.execute(
                sql: """
                    CREATE TABLE new_attendance_entry (
                        id INTEGER NOT NULL,
                        session_id INTEGER NOT NULL REFERENCES session(id),
                        trainee_id INTEGER NOT NULL REFERENCES trainee(id),
                        status TEXT NOT NULL CHECK (status = 'present' OR status = 'late' OR status = 'excused' OR status = 'absent'),
                        note TEXT NOT NULL DEFAULT '',
                        PRIMARY KEY (session_id, trainee_id, id)) WITHOUT ROWID;
                    INSERT INTO new_attendance_entry (id, session_id, trainee_id, status, note)
                        SELECT id, session_id, trainee_id, status, note FROM attendance_entry ORDER BY session_id, trainee_id, id;
                    DROP TABLE attendance_entry;
                    PRAGMA legacy_alter_table = ON;
                    ALTER TABLE new_attendance_entry RENAME TO attendance_entry;
                    PRAGMA legacy_alter_table = OFF;
                    CREATE TRIGGER attendance_entry_no_update BEFORE UPDATE ON attendance_entry
                        BEGIN SELECT RAISE(ABORT, 'attendance entries are never changed; record a correction'); END;
                    CREATE TRIGGER attendance_entry_no_delete BEFORE DELETE ON attendance_entry
                        BEGIN SELECT RAISE(ABORT, 'attendance entries are never deleted; record a correction'); END;
                    -- The batch of an entry: the one with the greatest first entry not above it.
                    CREATE INDEX attendance_batch_first_entry ON attendance_batch(first_entry);

                    ALTER TABLE trainee DROP COLUMN attended_sessions;
                    """)
        }
        // v8: the ledger keeps a mark's status as a number (`AttendanceStatus.code`: 0 present,
        // 1 late, 2 excused, 3 absent) instead of a word, a fifth of each entry: a roll-call
        // import writes every entry twice (the log, then the database), and the ledger is most
        // of the file. Everything reads it through views that give the word, as before:
        // `attendance_ledger` (every entry), `attendance` (the current statuses), `attended`.
        migrator.registerMigration("v8 status codes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE new_attendance_entry (
                        id INTEGER NOT NULL,
                        session_id INTEGER NOT NULL REFERENCES session(id),
                        trainee_id INTEGER NOT NULL REFERENCES trainee(id),
                        status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 3),
                        note TEXT NOT NULL DEFAULT '',
                        PRIMARY KEY (session_id, trainee_id, id)) WITHOUT ROWID;
                    INSERT INTO new_attendance_entry (id, session_id, trainee_id, status, note)
                        SELECT id, session_id, trainee_id, CASE status WHEN 'present' THEN 0 WHEN 'late' THEN 1 WHEN 'excused' THEN 2 ELSE 3 END, note
                        FROM attendance_entry ORDER BY session_id, trainee_id, id;
                    DROP VIEW attended;
                    DROP VIEW attendance;
                    DROP TABLE attendance_entry;
                    ALTER TABLE new_attendance_entry RENAME TO attendance_entry;
                    CREATE TRIGGER attendance_entry_no_update BEFORE UPDATE ON attendance_entry
                        BEGIN SELECT RAISE(ABORT, 'attendance entries are never changed; record a correction'); END;
                    CREATE TRIGGER attendance_entry_no_delete BEFORE DELETE ON attendance_entry
                        BEGIN SELECT RAISE(ABORT, 'attendance entries are never deleted; record a correction'); END;
                    CREATE VIEW attendance_ledger AS
                        SELECT id, session_id, trainee_id,
                               CASE status WHEN 0 THEN 'present' WHEN 1 THEN 'late' WHEN 2 THEN 'excused' WHEN 3 THEN 'absent' END AS status, note
                        FROM attendance_entry;
                    CREATE VIEW attendance AS
                        SELECT e.session_id, e.trainee_id, e.status, e.note, e.id AS entry_id FROM attendance_ledger e
                        WHERE NOT EXISTS (SELECT 1 FROM attendance_entry later
                                          WHERE later.session_id = e.session_id AND later.trainee_id = e.trainee_id AND later.id > e.id);
                    CREATE VIEW attended AS
                        SELECT a.session_id, a.trainee_id, a.status, a.note, a.entry_id FROM attendance a JOIN session s ON s.id = a.session_id
                        WHERE s.cancelled_on IS NULL AND (a.status = 'present' OR a.status = 'late');
                    """)
        }
        // v9: a sign-in belongs to the account, not to its name. Each account has a random key,
        // new when it is added and when its password is set: a browser signed in holds the key
        // it signed in with, so an account removed and added again under the same name, or
        // given a new password, signs out every browser that had signed in before.
        migrator.registerMigration("v9 account sign-in keys") { db in
            try db.execute(sql: "ALTER TABLE web_user ADD COLUMN sign_in_key TEXT NOT NULL DEFAULT ''")
            try db.execute(sql: "UPDATE web_user SET sign_in_key = lower(hex(randomblob(16)))")
        }
        // v10: the reason a revocation gives the public (`/verify`), chosen from a short list;
        // the office's own reason (`revoke_reason`, signed) stays internal.
        migrator.registerMigration("v10 public revocation reasons") { db in
            try db.execute(sql: "ALTER TABLE certificate ADD COLUMN public_reason TEXT")
        }
        // v11: a mark can be taken back. A slip on a phone (the wrong row tapped, a first mark)
        // is undone by a new entry, status 4 (`unmarked`), that returns the trainee to not
        // marked: the ledger keeps both, and the current statuses (`attendance`) leave out a
        // pair whose newest entry is a taking back.
        migrator.registerMigration("v11 marks taken back") { db in
            try db.execute(
                sql: """
                    CREATE TABLE new_attendance_entry (
                        id INTEGER NOT NULL,
                        session_id INTEGER NOT NULL REFERENCES session(id),
                        trainee_id INTEGER NOT NULL REFERENCES trainee(id),
                        status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 4),
                        note TEXT NOT NULL DEFAULT '',
                        PRIMARY KEY (session_id, trainee_id, id)) WITHOUT ROWID;
                    INSERT INTO new_attendance_entry (id, session_id, trainee_id, status, note)
                        SELECT id, session_id, trainee_id, status, note FROM attendance_entry ORDER BY session_id, trainee_id, id;
                    DROP VIEW attended;
                    DROP VIEW attendance;
                    DROP VIEW attendance_ledger;
                    DROP TABLE attendance_entry;
                    ALTER TABLE new_attendance_entry RENAME TO attendance_entry;
                    CREATE TRIGGER attendance_entry_no_update BEFORE UPDATE ON attendance_entry
                        BEGIN SELECT RAISE(ABORT, 'attendance entries are never changed; record a correction'); END;
                    CREATE TRIGGER attendance_entry_no_delete BEFORE DELETE ON attendance_entry
                        BEGIN SELECT RAISE(ABORT, 'attendance entries are never deleted; record a correction'); END;
                    CREATE VIEW attendance_ledger AS
                        SELECT id, session_id, trainee_id,
                               CASE status WHEN 0 THEN 'present' WHEN 1 THEN 'late' WHEN 2 THEN 'excused' WHEN 3 THEN 'absent'
                                           WHEN 4 THEN 'unmarked' END AS status, note
                        FROM attendance_entry;
                    CREATE VIEW attendance AS
                        SELECT e.session_id, e.trainee_id, e.status, e.note, e.id AS entry_id FROM attendance_ledger e
                        WHERE e.status <> 'unmarked'
                          AND NOT EXISTS (SELECT 1 FROM attendance_entry later
                                          WHERE later.session_id = e.session_id AND later.trainee_id = e.trainee_id AND later.id > e.id);
                    CREATE VIEW attended AS
                        SELECT a.session_id, a.trainee_id, a.status, a.note, a.entry_id FROM attendance a JOIN session s ON s.id = a.session_id
                        WHERE s.cancelled_on IS NULL AND (a.status = 'present' OR a.status = 'late');
                    """)
        }
        // v12: what the office pays experts: a rate per hour of each kind of session, and per
        // verdict, in fen (0.01 yuan), in force from a day on; for one expert, or (no expert)
        // for every expert without a rate of their own.
        migrator.registerMigration("v12 fee rates") { db in
            try db.execute(
                sql: """
                    CREATE TABLE fee_rate (
                        id INTEGER PRIMARY KEY,
                        expert_id INTEGER REFERENCES expert(id),
                        kind TEXT NOT NULL CHECK (kind IN ('classroom', 'field', 'demonstration', 'assessment')),
                        since TEXT NOT NULL,
                        fen INTEGER NOT NULL CHECK (fen >= 0),
                        recorded_at TEXT NOT NULL);
                    CREATE UNIQUE INDEX fee_rate_key ON fee_rate(coalesce(expert_id, 0), kind, since);
                    """)
        }
        // v13: the centre in the union's federation (docs/FEDERATION.md): its office code and
        // HQ's statement once joined; each bundle published (kept, so a lost copy can be sent
        // again); and, for each record HQ keeps, a keyed digest of it as last published, which
        // the next bundle is the difference from.
        migrator.registerMigration("v13 federation") { db in
            try db.execute(
                sql: """
                    CREATE TABLE federation (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        office TEXT NOT NULL,
                        statement TEXT NOT NULL,
                        joined_at TEXT NOT NULL);
                    CREATE TABLE published_bundle (
                        number INTEGER PRIMARY KEY,
                        hash TEXT NOT NULL,
                        made_at TEXT NOT NULL,
                        last_entry INTEGER NOT NULL,
                        records INTEGER NOT NULL,
                        content BLOB NOT NULL);
                    CREATE TABLE published_row (
                        kind TEXT NOT NULL,
                        key TEXT NOT NULL,
                        digest BLOB NOT NULL,
                        PRIMARY KEY (kind, key)) WITHOUT ROWID;
                    """)
        }
        return migrator
    }
}
