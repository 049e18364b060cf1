-- A task's items in one status, by identifier: the list filtered by one
-- status reads one range of this index instead of skipping the other
-- statuses' entries of motivity_quest_assignments_page (the first page of
-- checking, 2% of a task's items, skipped about 1,000 of them). The page
-- index stays for the unfiltered list and for several statuses at once,
-- whose items come in identifier order only from it.
CREATE INDEX motivity_quest_assignments_status ON motivity_quest_assignments (task_id, live, status, identifier);
