-- New reports take random ids (migrantexam.NewReportID) instead of the next
-- of one sequence shared by every organization, which let an organization
-- count the others' reports between two of its own. Existing reports keep
-- their ids. Ids no longer follow the order of submission, so the
-- operator's listing, oldest first, pages by submission time.
CREATE INDEX reports_created ON reports (created_at, id);
