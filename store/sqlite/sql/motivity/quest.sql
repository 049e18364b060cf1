-- Queries of the Motivity platform (quests), SQLite dialect. Lists arrive
-- as one JSON array parameter; json_each unpacks it.

-- name: LockNextQuestID
-- Nothing to do: one writer at a time.
SELECT 1;

-- name: NextQuestID
SELECT COALESCE(MAX(id), 0) + 1 FROM motivity_quests;

-- name: QuestByID
SELECT id, texts, url_for_mentor, COALESCE(preview_file_id, 0), open_at, close_at, deadline_type, deadline_delay, deadline_date,
       threshold, score_threshold, score, certificate, certificate_completed, mentor_score, score_in_time,
       certificate_deadline, quiz_id, active, deleted_at IS NOT NULL, created_at, updated_at
FROM motivity_quests WHERE id = ?1;

-- name: Quests
SELECT id, texts, url_for_mentor, COALESCE(preview_file_id, 0), open_at, close_at, deadline_type, deadline_delay, deadline_date,
       threshold, score_threshold, score, certificate, certificate_completed, mentor_score, score_in_time,
       certificate_deadline, quiz_id, active, deleted_at IS NOT NULL, created_at, updated_at
FROM motivity_quests WHERE id > ?1 ORDER BY id LIMIT ?2;

-- name: InsertQuest
INSERT INTO motivity_quests (id, texts, url_for_mentor, preview_file_id, open_at, close_at, deadline_type, deadline_delay,
                             deadline_date, threshold, score_threshold, score, certificate, certificate_completed, mentor_score,
                             score_in_time, certificate_deadline, quiz_id, active, deleted_at, created_at, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, CASE WHEN ?20 THEN ?21 END, ?21, ?21);

-- name: UpdateQuest
-- deleted_at keeps the first deletion's time while the quest stays deleted.
UPDATE motivity_quests
SET texts = ?2, url_for_mentor = ?3, preview_file_id = ?4, open_at = ?5, close_at = ?6, deadline_type = ?7, deadline_delay = ?8,
    deadline_date = ?9, threshold = ?10, score_threshold = ?11, score = ?12, certificate = ?13, certificate_completed = ?14,
    mentor_score = ?15, score_in_time = ?16, certificate_deadline = ?17, quiz_id = ?18, active = ?19,
    deleted_at = CASE WHEN ?20 THEN COALESCE(deleted_at, ?21) END, updated_at = ?21
WHERE id = ?1;

-- name: QuestMentors
SELECT m.user_id, u.identifier FROM motivity_quest_mentors m JOIN motivity_users u ON u.id = m.user_id
WHERE m.quest_id = ?1 ORDER BY m.user_id;

-- name: DeleteQuestMentors
DELETE FROM motivity_quest_mentors WHERE quest_id = ?1;

-- name: InsertQuestMentors
INSERT INTO motivity_quest_mentors (quest_id, user_id) SELECT ?1, value FROM json_each(?2);

-- name: LockNextQuestTaskID
SELECT 1;

-- name: NextQuestTaskID
SELECT COALESCE(MAX(id), 0) + 1 FROM motivity_quest_tasks;

-- name: QuestTaskByID
SELECT id, quest_id, texts, score, COALESCE(preview_file_id, 0), quiz_id, active, deleted_at IS NOT NULL, position, created_at, updated_at
FROM motivity_quest_tasks WHERE id = ?1;

-- name: QuestTasksOf
SELECT id, quest_id, texts, score, COALESCE(preview_file_id, 0), quiz_id, active, deleted_at IS NOT NULL, position, created_at, updated_at
FROM motivity_quest_tasks WHERE quest_id = ?1 ORDER BY id;

-- name: InsertQuestTask
INSERT INTO motivity_quest_tasks (id, quest_id, texts, score, preview_file_id, quiz_id, active, position, deleted_at, created_at, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, CASE WHEN ?9 THEN ?10 END, ?10, ?10);

-- name: UpdateQuestTask
UPDATE motivity_quest_tasks
SET texts = ?3, score = ?4, preview_file_id = ?5, quiz_id = ?6, active = ?7, position = ?8,
    deleted_at = CASE WHEN ?9 THEN COALESCE(deleted_at, ?10) END, updated_at = ?10
WHERE id = ?1 AND quest_id = ?2;

-- name: LockQuestForTasks
-- No row lock: SQLite's write transaction (BEGIN IMMEDIATE) already
-- excludes every other writer.
SELECT id FROM motivity_quests WHERE id = ?1;

-- name: LockQuestForStudents
SELECT id FROM motivity_quests WHERE id = ?1;

-- name: LockQuestStudentUsers
SELECT 1 WHERE ?1 IS NOT NULL;

-- name: LockStudentUser
SELECT id FROM motivity_users WHERE id = ?1;

-- name: AssignTaskToStudents
-- A new task is every student's, in progress.
INSERT INTO motivity_quest_assignments (task_id, user_id, quest_id, identifier, live, status, updated_at)
SELECT ?1, s.user_id, s.quest_id, u.identifier, u.active AND u.deleted_at IS NULL, 'in_progress', ?3
FROM motivity_quest_students s JOIN motivity_users u ON u.id = s.user_id
WHERE s.quest_id = ?2;

-- name: CountNewTask
-- A row for each of the five statuses, zero or not: a count that changes
-- is then always an existing row, locked in (task, status) order, never an
-- insert racing another (an insert of a row earlier in that order, made
-- while holding later ones, was a deadlock on PostgreSQL).
INSERT INTO motivity_quest_counts (task_id, status, students)
SELECT ?1, s.status, (SELECT count(*) FROM motivity_quest_assignments a WHERE a.task_id = ?1 AND a.live AND a.status = s.status)
FROM (SELECT 'in_progress' AS status UNION ALL SELECT 'checking' UNION ALL SELECT 'redo' UNION ALL SELECT 'complete'
      UNION ALL SELECT 'fail') AS s;

-- name: CompleteQuestCounts
-- The zero rows CountNewTask makes, for tasks loaded otherwise (the
-- generator).
INSERT INTO motivity_quest_counts (task_id, status, students)
SELECT t.id, s.status, 0
FROM motivity_quest_tasks t
CROSS JOIN (SELECT 'in_progress' AS status UNION ALL SELECT 'checking' UNION ALL SELECT 'redo' UNION ALL SELECT 'complete'
            UNION ALL SELECT 'fail') AS s
WHERE t.quest_id = ?1
ON CONFLICT (task_id, status) DO NOTHING;

-- name: QuestStudentByKey
SELECT s.quest_id, s.user_id, u.identifier, s.assigned_at
FROM motivity_quest_students s JOIN motivity_users u ON u.id = s.user_id
WHERE s.quest_id = ?1 AND s.user_id = ?2;

-- name: LockQuestStudent
-- No row lock: SQLite's write transaction (BEGIN IMMEDIATE) already
-- excludes every other writer.
SELECT s.quest_id, s.user_id, u.identifier, s.assigned_at
FROM motivity_quest_students s JOIN motivity_users u ON u.id = s.user_id
WHERE s.quest_id = ?1 AND s.user_id = ?2;

-- name: QuestStudentsPage
SELECT s.quest_id, s.user_id, u.identifier, s.assigned_at
FROM motivity_quest_students s JOIN motivity_users u ON u.id = s.user_id
WHERE s.quest_id = ?1 AND s.user_id > ?2 ORDER BY s.user_id LIMIT ?3;

-- name: QuestStudentMentors
-- The mentors of the students ?2 (a JSON array) of quest ?1. IN over
-- json_each, where PostgreSQL's copy says = ANY: SQLite looks each element
-- up in the primary key (LIST SUBQUERY); PostgreSQL hashed all the quest's
-- mentor rows.
SELECT m.student_id, m.mentor_id, u.identifier
FROM motivity_quest_student_mentors m JOIN motivity_users u ON u.id = m.mentor_id
WHERE m.quest_id = ?1 AND m.student_id IN (SELECT value FROM json_each(?2))
ORDER BY m.student_id, m.mentor_id;

-- name: InsertQuestStudent
INSERT INTO motivity_quest_students (quest_id, user_id, assigned_at) VALUES (?1, ?2, ?3);

-- name: UpdateQuestStudent
UPDATE motivity_quest_students SET assigned_at = ?3 WHERE quest_id = ?1 AND user_id = ?2;

-- name: DeleteQuestStudentMentors
DELETE FROM motivity_quest_student_mentors WHERE quest_id = ?1 AND student_id = ?2;

-- name: InsertQuestStudentMentors
INSERT INTO motivity_quest_student_mentors (quest_id, student_id, mentor_id) SELECT ?1, ?2, value FROM json_each(?3);

-- name: AssignStudentTasks
-- Every task of the quest, deleted ones too (a task deleted is only
-- hidden), in progress.
INSERT INTO motivity_quest_assignments (task_id, user_id, quest_id, identifier, live, status, updated_at)
SELECT t.id, u.id, t.quest_id, u.identifier, u.active AND u.deleted_at IS NULL, 'in_progress', ?3
FROM motivity_quest_tasks t JOIN motivity_users u ON u.id = ?2
WHERE t.quest_id = ?1;

-- name: CountUserAssignments
-- Counts the live assignments of user ?1 in quest ?2 (0: every quest).
INSERT INTO motivity_quest_counts (task_id, status, students)
SELECT task_id, status, 1 FROM motivity_quest_assignments
WHERE user_id = ?1 AND (?2 = 0 OR quest_id = ?2) AND live
ORDER BY task_id, status
ON CONFLICT (task_id, status) DO UPDATE SET students = motivity_quest_counts.students + 1;

-- name: UncountUserAssignments
-- The reverse of CountUserAssignments. An UPDATE, not an upsert of -1: the
-- proposed row of an upsert is checked (students >= 0) before it meets the
-- existing one.
UPDATE motivity_quest_counts SET students = students - 1
WHERE (task_id, status) IN (SELECT task_id, status FROM motivity_quest_assignments
                            WHERE user_id = ?1 AND (?2 = 0 OR quest_id = ?2) AND live);

-- name: LockUserAssignments
-- No row lock: SQLite's write transaction (BEGIN IMMEDIATE) already
-- excludes every other writer.
SELECT 1 WHERE ?1 IS NOT NULL;

-- name: LockUserCounts
SELECT 1 WHERE ?1 IS NOT NULL;

-- name: SetUserAssignments
-- A user's liveness or identifier changed.
UPDATE motivity_quest_assignments SET live = ?2, identifier = ?3 WHERE user_id = ?1;

-- name: DeleteStudentMessageFiles
DELETE FROM motivity_quest_message_files
WHERE message_id IN (SELECT id FROM motivity_quest_messages WHERE quest_id = ?1 AND student_id = ?2);

-- name: DeleteStudentMessages
DELETE FROM motivity_quest_messages WHERE quest_id = ?1 AND student_id = ?2;

-- name: DeleteStudentAssignments
DELETE FROM motivity_quest_assignments WHERE quest_id = ?1 AND user_id = ?2;

-- name: DeleteQuestStudent
DELETE FROM motivity_quest_students WHERE quest_id = ?1 AND user_id = ?2;

-- name: QuestCounts
SELECT c.task_id, c.status, c.students
FROM motivity_quest_counts c JOIN motivity_quest_tasks t ON t.id = c.task_id
WHERE t.quest_id = ?1 AND c.students > 0;

-- name: QuestTaskTotals
-- The quest's listed tasks by id, each with its live students in the
-- statuses ?2 (a JSON array; []: any).
SELECT t.id, COALESCE(sum(c.students), 0)
FROM motivity_quest_tasks t
LEFT JOIN motivity_quest_counts c ON c.task_id = t.id AND (?2 = '[]' OR c.status IN (SELECT value FROM json_each(?2)))
WHERE t.quest_id = ?1 AND t.active AND t.deleted_at IS NULL
GROUP BY t.id ORDER BY t.id;

-- name: TaskAssignments
-- One range of motivity_quest_assignments_page (which holds user_id too,
-- the table's key): no row is visited.
SELECT task_id, user_id, identifier, status
FROM motivity_quest_assignments INDEXED BY motivity_quest_assignments_page
WHERE task_id = ?1 AND live = 1 AND (?2 = '[]' OR status IN (SELECT value FROM json_each(?2)))
ORDER BY identifier LIMIT ?3 OFFSET ?4;

-- name: TaskAssignmentsFromEnd
-- TaskAssignments from the range's end (the caller puts the rows back in
-- order): a page past the middle skips fewer entries.
SELECT task_id, user_id, identifier, status
FROM motivity_quest_assignments INDEXED BY motivity_quest_assignments_page
WHERE task_id = ?1 AND live = 1 AND (?2 = '[]' OR status IN (SELECT value FROM json_each(?2)))
ORDER BY identifier DESC LIMIT ?3 OFFSET ?4;

-- name: TaskAssignmentsInStatus
-- TaskAssignments in the one status ?2: one range of
-- motivity_quest_assignments_status, which holds user_id too.
SELECT task_id, user_id, identifier, status
FROM motivity_quest_assignments INDEXED BY motivity_quest_assignments_status
WHERE task_id = ?1 AND live = 1 AND status = ?2
ORDER BY identifier LIMIT ?3 OFFSET ?4;

-- name: TaskAssignmentsInStatusFromEnd
SELECT task_id, user_id, identifier, status
FROM motivity_quest_assignments INDEXED BY motivity_quest_assignments_status
WHERE task_id = ?1 AND live = 1 AND status = ?2
ORDER BY identifier DESC LIMIT ?3 OFFSET ?4;

-- name: QuestStudentTasks
-- Whether user ?2 is a student of quest ?1 (one row with a NULL task
-- when they hold none) and their tasks' statuses by task id: the list's
-- student filter in one statement instead of three, from
-- motivity_quest_assignments_user alone (it holds the status).
SELECT a.task_id, a.status
FROM motivity_quest_students s
LEFT JOIN motivity_quest_assignments a ON a.user_id = s.user_id AND a.quest_id = s.quest_id
WHERE s.quest_id = ?1 AND s.user_id = ?2
ORDER BY a.task_id;

-- name: StudentAssignments
SELECT task_id, user_id, identifier, status, updated_at
FROM motivity_quest_assignments WHERE user_id = ?2 AND quest_id = ?1 ORDER BY task_id;

-- name: QuestAssignmentByKey
SELECT quest_id, task_id, user_id, identifier, live, status, updated_at
FROM motivity_quest_assignments WHERE task_id = ?1 AND user_id = ?2;

-- name: LockQuestAssignment
-- No row lock: SQLite's write transaction (BEGIN IMMEDIATE) already
-- excludes every other writer.
SELECT quest_id, task_id, user_id, identifier, live, status, updated_at
FROM motivity_quest_assignments WHERE task_id = ?1 AND user_id = ?2;

-- name: SetQuestAssignmentStatus
UPDATE motivity_quest_assignments SET status = ?3, updated_at = ?4 WHERE task_id = ?1 AND user_id = ?2;

-- name: AddQuestCount
INSERT INTO motivity_quest_counts (task_id, status, students) VALUES (?1, ?2, 1)
ON CONFLICT (task_id, status) DO UPDATE SET students = motivity_quest_counts.students + 1;

-- name: SubtractQuestCount
UPDATE motivity_quest_counts SET students = students - 1 WHERE task_id = ?1 AND status = ?2;

-- name: QuestProgress
-- The quest's listed tasks and how many of them the student has complete.
SELECT COALESCE(sum(a.status = 'complete'), 0), count(*)
FROM motivity_quest_tasks t JOIN motivity_quest_assignments a ON a.task_id = t.id AND a.user_id = ?2
WHERE t.quest_id = ?1 AND t.active AND t.deleted_at IS NULL;

-- name: InsertQuestMessage
INSERT INTO motivity_quest_messages (quest_id, task_id, student_id, author_id, text, status, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
RETURNING id;

-- name: InsertQuestMessageFiles
-- ?2 is the file ids in order.
INSERT INTO motivity_quest_message_files (message_id, position, file_id)
SELECT ?1, key, value FROM json_each(?2);

-- name: ThreadMessages
SELECT m.id, m.quest_id, m.author_id, u.identifier, m.text, m.status, m.at
FROM motivity_quest_messages m JOIN motivity_users u ON u.id = m.author_id
WHERE m.task_id = ?1 AND m.student_id = ?2 ORDER BY m.id;

-- name: ThreadFiles
-- Files deleted since they were attached are left out: their ids answer
-- "File not found".
SELECT mf.message_id, f.id, f.name, f.size
FROM motivity_quest_messages m
JOIN motivity_quest_message_files mf ON mf.message_id = m.id
JOIN motivity_files f ON f.id = mf.file_id
WHERE m.task_id = ?1 AND m.student_id = ?2 AND f.deleted_at IS NULL
ORDER BY mf.message_id, mf.position;

-- name: ClaimQuestAward
INSERT INTO motivity_quest_awards (quest_id, student_id, kind, task_id, recipient_id, score, certificate, at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT DO NOTHING;

-- name: QuestAwards
SELECT quest_id, student_id, kind, task_id, recipient_id, score, certificate, at
FROM motivity_quest_awards WHERE quest_id = ?1 AND student_id = ?2 ORDER BY at, kind, task_id;

-- name: CountQuestTasks
SELECT count(*) FROM motivity_quest_tasks WHERE quest_id = ?1;

-- ---------------------------------------------------------------------------
-- Generated quests (stend motivity quest generate, for benchmarks): each
-- statement takes its rows as one JSON array, unpacked by json_each.
-- ---------------------------------------------------------------------------

-- name: ImportMissingUsers
-- ?1: [[identifier, name], …]. A user not deleted who holds the identifier
-- already is kept as is. WHERE true: an upsert after SELECT … FROM needs a
-- WHERE, or its ON would be read as a join's.
INSERT INTO motivity_users (identifier, email, name, active, deleted_at, manager_id, manages_goals, created_at, updated_at)
SELECT value ->> 0, value ->> 0, value ->> 1, 1, NULL, NULL, 0, ?2, ?2 FROM json_each(?1) WHERE true
ON CONFLICT DO NOTHING;

-- name: ImportMissingBalances
-- The balances of the users ?1 that lack them: those just created.
INSERT INTO motivity_balances (user_id, balance_type, amount)
SELECT u.id, b.balance_type, 0
FROM json_each(?1) j
JOIN motivity_users u ON u.identifier = j.value ->> 0 AND u.deleted_at IS NULL
CROSS JOIN (SELECT 'score' AS balance_type UNION ALL SELECT 'karma' UNION ALL SELECT 'payment') b
WHERE true
ON CONFLICT DO NOTHING;

-- name: ImportedUserIDs
SELECT u.id, u.identifier
FROM json_each(?1) j JOIN motivity_users u ON u.identifier = j.value ->> 0 AND u.deleted_at IS NULL;

-- name: ImportQuestStudents
-- ?2: [[user id, assigned at], …].
INSERT INTO motivity_quest_students (quest_id, user_id, assigned_at)
SELECT ?1, value ->> 0, value ->> 1 FROM json_each(?2);

-- name: ImportQuestStudentMentors
-- ?2: [[student id, mentor id], …].
INSERT INTO motivity_quest_student_mentors (quest_id, student_id, mentor_id)
SELECT ?1, value ->> 0, value ->> 1 FROM json_each(?2);

-- name: ImportQuestAssignments
-- ?2: [[task id, user id, status], …]; the identifier and liveness are the
-- user's, as AssignStudentTasks takes them.
INSERT INTO motivity_quest_assignments (task_id, user_id, quest_id, identifier, live, status, updated_at)
SELECT j.value ->> 0, u.id, ?1, u.identifier, u.active AND u.deleted_at IS NULL, j.value ->> 2, ?3
FROM json_each(?2) j JOIN motivity_users u ON u.id = j.value ->> 1;

-- name: CountImportedAssignments
-- Counts the live assignments of the students ?2 (a JSON array of user
-- ids) just imported into quest ?1.
INSERT INTO motivity_quest_counts (task_id, status, students)
SELECT a.task_id, a.status, count(*)
FROM json_each(?2) j JOIN motivity_quest_assignments a ON a.user_id = j.value AND a.quest_id = ?1
WHERE a.live
GROUP BY a.task_id, a.status
ON CONFLICT (task_id, status) DO UPDATE SET students = motivity_quest_counts.students + excluded.students;

-- name: RefreshQuestAssignmentStatistics
ANALYZE motivity_quest_assignments;

-- name: RefreshQuestCountStatistics
ANALYZE motivity_quest_counts;

-- name: RefreshQuestStudentStatistics
ANALYZE motivity_quest_students;

-- name: RefreshQuestUserStatistics
ANALYZE motivity_users;

-- name: RefreshQuestBalanceStatistics
ANALYZE motivity_balances;

-- name: RefreshQuestMentorStatistics
ANALYZE motivity_quest_student_mentors;
