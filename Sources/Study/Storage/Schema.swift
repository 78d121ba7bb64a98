import GRDB

/// The database schema, one named migration per released version. A migration, once released, never
/// changes: a later facecap opens an older study file by running only the migrations it lacks.
/// Tests/Fixtures/Study/study-v1.sql is a database written by v1 alone, to prove exactly that.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2-answer-history", migrate: v2AnswerHistory)
        migrator.registerMigration("v3-study-raters", migrate: v3StudyRaters)
        return migrator
    }

    /// Studies, their frozen models and captions, and one answer per (study, rater, face) with one
    /// rating row per model. Model slots are 0-based indices into the study's models; positions are
    /// 0-based presentation order. Timestamps are ISO 8601 UTC text, so they sort and export as is.
    @Sendable private static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE study (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                datasetPath TEXT NOT NULL,
                instructions TEXT NOT NULL,
                seed INTEGER NOT NULL,
                revealed INTEGER NOT NULL DEFAULT 0,
                finished INTEGER NOT NULL DEFAULT 0,
                createdAt TEXT NOT NULL
            );
            CREATE TABLE studyModel (
                studyId INTEGER NOT NULL REFERENCES study(id) ON DELETE CASCADE,
                slot INTEGER NOT NULL,
                name TEXT NOT NULL,
                identity TEXT NOT NULL,
                PRIMARY KEY (studyId, slot)
            );
            CREATE TABLE studyItem (
                studyId INTEGER NOT NULL REFERENCES study(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                imageID TEXT NOT NULL,
                groundTruthEmotion TEXT,
                PRIMARY KEY (studyId, position),
                UNIQUE (studyId, imageID)
            );
            CREATE TABLE caption (
                studyId INTEGER NOT NULL,
                position INTEGER NOT NULL,
                slot INTEGER NOT NULL,
                text TEXT NOT NULL,
                PRIMARY KEY (studyId, position, slot),
                FOREIGN KEY (studyId, position) REFERENCES studyItem(studyId, position) ON DELETE CASCADE
            );
            CREATE TABLE faceAnswer (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                studyId INTEGER NOT NULL,
                rater TEXT NOT NULL,
                position INTEGER NOT NULL,
                mostComplete INTEGER,
                leastComplete INTEGER,
                comment TEXT,
                skippedReason TEXT,
                submittedAt TEXT NOT NULL,
                UNIQUE (studyId, rater, position),
                FOREIGN KEY (studyId, position) REFERENCES studyItem(studyId, position) ON DELETE CASCADE
            );
            CREATE TABLE rating (
                answerId INTEGER NOT NULL REFERENCES faceAnswer(id) ON DELETE CASCADE,
                slot INTEGER NOT NULL,
                correctness INTEGER NOT NULL CHECK (correctness BETWEEN 1 AND 10),
                completeness INTEGER NOT NULL CHECK (completeness BETWEEN 1 AND 10),
                PRIMARY KEY (answerId, slot)
            );
            """)
    }

    /// Re-submitting a face replaces the answer; v2 keeps what it replaced. `revision` counts the
    /// answers given, `firstSubmittedAt` keeps the first time, and each replaced answer is kept whole as
    /// JSON in answerHistory (it is only read back for audits and exports, never queried by field).
    @Sendable private static func v2AnswerHistory(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE faceAnswer ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE faceAnswer ADD COLUMN firstSubmittedAt TEXT;
            UPDATE faceAnswer SET firstSubmittedAt = submittedAt;
            CREATE TABLE answerHistory (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                answerId INTEGER NOT NULL REFERENCES faceAnswer(id) ON DELETE CASCADE,
                revision INTEGER NOT NULL,
                replacedAt TEXT NOT NULL,
                snapshot TEXT NOT NULL
            );
            CREATE INDEX answerHistory_answerId ON answerHistory(answerId);
            """)
    }

    /// `study create --raters a,b,c`: the rater ids (login names) allowed to rate a study. A study
    /// with no rows here takes any rater, as every study did before v3.
    @Sendable private static func v3StudyRaters(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE studyRater (
                studyId INTEGER NOT NULL REFERENCES study(id) ON DELETE CASCADE,
                rater TEXT NOT NULL,
                PRIMARY KEY (studyId, rater)
            );
            """)
    }
}
