-- /status and /result find a task by its token and id together
-- (FSSPTokenTask): under another token a task's id is simply absent, so
-- looking up someone else's task reads nothing of it and costs what a task
-- that never existed costs.
CREATE UNIQUE INDEX fssp_tasks_owner ON fssp_tasks (token_id, id);
