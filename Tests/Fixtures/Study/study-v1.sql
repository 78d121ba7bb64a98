-- A study database as facecap's schema v1 wrote it (before answer history existed), written by hand
-- so that no later code can change it. StudyStoreMigrationTests opens it with the current code and
-- checks that the data survives the upgrade. Do not edit: it stands for files already in the field.
PRAGMA foreign_keys = ON;
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
INSERT INTO grdb_migrations VALUES ('v1');

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

INSERT INTO study VALUES (1, 'legacy', '/data/raf-au', 'Rate each caption.', -7, 0, 0,
                          '2026-01-02T03:04:05.678Z');
INSERT INTO studyModel VALUES (1, 0, 'Exp-BLIP', 'exp-blip weights sha256:00aa');
INSERT INTO studyModel VALUES (1, 1, 'Cat-BLIP', 'cat-blip weights sha256:00bb');
INSERT INTO studyItem VALUES (1, 0, 'face-0001.png', 'happy');
INSERT INTO studyItem VALUES (1, 1, 'face-0002.png', NULL);
INSERT INTO caption VALUES (1, 0, 0, 'The person is smiling with raised cheeks.');
INSERT INTO caption VALUES (1, 0, 1, 'A happy face.');
INSERT INTO caption VALUES (1, 1, 0, 'The brows are lowered and drawn together.');
INSERT INTO caption VALUES (1, 1, 1, 'An angry, frowning face.');
INSERT INTO faceAnswer VALUES (1, 1, 'alice', 0, 0, 1, 'clear image', NULL, '2026-01-02T04:00:00.000Z');
INSERT INTO rating VALUES (1, 0, 9, 8);
INSERT INTO rating VALUES (1, 1, 7, 3);
INSERT INTO faceAnswer VALUES (2, 1, 'alice', 1, NULL, NULL, NULL, 'eyes closed', '2026-01-02T04:01:00.000Z');
