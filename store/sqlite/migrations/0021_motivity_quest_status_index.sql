-- A task's items in one status, by identifier: the list filtered by one
-- status reads one range of this index instead of skipping the other
-- statuses' entries of motivity_quest_assignments_page (the first page of
-- checking, 2% of a task's items, skipped about 1,000 of them). The page
-- index stays for the unfiltered list and for several statuses at once,
-- whose items come in identifier order only from it.
CREATE INDEX motivity_quest_assignments_status ON motivity_quest_assignments (task_id, live, status, identifier);

-- A student's tasks of a quest with their statuses, from the index alone:
-- the list filtered by student read each of the 50 from the table (a
-- lookup by key each, on 50 different pages of a million rows). status is
-- added to the user index, whose other readers want its prefix.
DROP INDEX motivity_quest_assignments_user;
CREATE INDEX motivity_quest_assignments_user ON motivity_quest_assignments (user_id, quest_id, task_id, status);
