-- New reports take random ids (migrantexam.NewReportID) instead of the next
-- of one sequence shared by every organization, which let an organization
-- count the others' reports between two of its own. Existing reports keep
-- their ids; the sequence goes, so that nothing can take an id from it
-- again. Ids no longer follow the order of submission, so the operator's
-- listing, oldest first, pages by submission time.
ALTER TABLE reports ALTER COLUMN id DROP IDENTITY;
CREATE INDEX reports_created ON reports (created_at, id);
