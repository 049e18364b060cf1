package motivity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"stend"
)

// Texts are a label in each language reports have (ru and en, the
// decisions); Localized picks one as the rest of the platform does.
type Texts map[string]string

// ReportColumn is a column: its system name and title.
type ReportColumn struct {
	Name  string
	Title Texts
}

// Filter types of metadata.
const (
	FilterPeriod      = "period"
	FilterMultiselect = "multiselect"
)

// ReportFilter describes a filter: a fixed set of Values, or a URL (under
// the API's base path) that lists and searches the values.
type ReportFilter struct {
	Name   string
	Type   string
	Label  Texts
	Values []FilterValue
	// URL is the path below /public/api/v1/ that answers the values.
	URL string
}

// FilterValue is one value a filter can take.
type FilterValue struct {
	Value string
	Label Texts
}

// ReportDef is a report type.
type ReportDef struct {
	Kind    ReportKind
	Title   Texts
	Columns []ReportColumn // every column but user_status, in order
	Filters []ReportFilter
	// Multiple: one page per quest (isMultiple).
	Multiple bool
}

// StatusColumn is the user's state; rows carry it, last, only when the
// request named user_status.
var StatusColumn = ReportColumn{"user_status", Texts{"ru": "Статус пользователя", "en": "User status"}}

var (
	userStatusFilter = ReportFilter{Name: "user_status", Type: FilterMultiselect, Label: StatusColumn.Title, Values: []FilterValue{
		{string(UserActive), Texts{"ru": "Активен", "en": "Active"}},
		{string(UserDeactivated), Texts{"ru": "Деактивирован", "en": "Deactivated"}},
		{string(UserDeleted), Texts{"ru": "Удалён", "en": "Deleted"}},
	}}
	usersFilter  = ReportFilter{Name: "users", Type: FilterMultiselect, Label: Texts{"ru": "Пользователи", "en": "Users"}, URL: "reports/filters/users"}
	periodFilter = ReportFilter{Name: "period", Type: FilterPeriod, Label: Texts{"ru": "Период", "en": "Period"}}
)

// reportDefs are the report types, in the order reports/list gives them.
var reportDefs = []ReportDef{
	{Kind: ReportUsers, Title: Texts{"ru": "Пользователи", "en": "Users"},
		Columns: []ReportColumn{
			{"id", Texts{"ru": "Идентификатор", "en": "Identifier"}},
			{"name", Texts{"ru": "Имя", "en": "Name"}},
			{"email", Texts{"ru": "Почта", "en": "Email"}},
			{"manager", Texts{"ru": "Руководитель", "en": "Manager"}},
		},
		Filters: []ReportFilter{userStatusFilter, usersFilter}},
	{Kind: ReportPoints, Title: Texts{"ru": "Начисления и списания баллов", "en": "Points transactions"},
		Columns: []ReportColumn{
			{"date", Texts{"ru": "Дата", "en": "Date"}},
			{"user", Texts{"ru": "Пользователь", "en": "User"}},
			{"balanceType", Texts{"ru": "Тип баланса", "en": "Balance type"}},
			{"amount", Texts{"ru": "Сумма", "en": "Amount"}},
			{"balance", Texts{"ru": "Баланс после операции", "en": "Balance after"}},
			{"message", Texts{"ru": "Комментарий", "en": "Message"}},
			{"author", Texts{"ru": "Автор", "en": "Author"}},
		},
		Filters: []ReportFilter{periodFilter, {Name: "balance_type", Type: FilterMultiselect, Label: Texts{"ru": "Тип баланса", "en": "Balance type"}, Values: []FilterValue{
			{string(BalanceScore), Texts{"ru": "Баллы", "en": "Score"}},
			{string(BalanceKarma), Texts{"ru": "Карма", "en": "Karma"}},
			{string(BalancePayment), Texts{"ru": "Баллы каталога призов", "en": "Prize catalog points"}},
		}}, usersFilter, userStatusFilter}},
	{Kind: ReportBalances, Title: Texts{"ru": "Балансы пользователей", "en": "User balances"},
		Columns: []ReportColumn{
			{"user", Texts{"ru": "Пользователь", "en": "User"}},
			{"score", Texts{"ru": "Баллы", "en": "Score"}},
			{"karma", Texts{"ru": "Карма", "en": "Karma"}},
			{"payment", Texts{"ru": "Баллы каталога призов", "en": "Prize catalog points"}},
		},
		Filters: []ReportFilter{usersFilter, userStatusFilter}},
	{Kind: ReportBadges, Title: Texts{"ru": "Бейджи", "en": "Badges"},
		Columns: []ReportColumn{
			{"user", Texts{"ru": "Пользователь", "en": "User"}},
			{"badge", Texts{"ru": "Бейдж", "en": "Badge"}},
			{"grade", Texts{"ru": "Уровень", "en": "Grade"}},
			{"assignedAt", Texts{"ru": "Дата присвоения", "en": "Assigned at"}},
			{"assignedBy", Texts{"ru": "Кто присвоил", "en": "Assigned by"}},
			{"removedAt", Texts{"ru": "Дата снятия", "en": "Removed at"}},
			{"removedBy", Texts{"ru": "Кто снял", "en": "Removed by"}},
		},
		Filters: []ReportFilter{periodFilter, {Name: "badges", Type: FilterMultiselect, Label: Texts{"ru": "Бейджи", "en": "Badges"}, URL: "reports/filters/badges"}, usersFilter, userStatusFilter}},
	{Kind: ReportGoals, Title: Texts{"ru": "План развития", "en": "Development plan"},
		Columns: []ReportColumn{
			{"user", Texts{"ru": "Пользователь", "en": "User"}},
			{"id", Texts{"ru": "Идентификатор цели", "en": "Goal id"}},
			{"parentId", Texts{"ru": "Идентификатор родительской цели", "en": "Parent goal id"}},
			{"title", Texts{"ru": "Название", "en": "Title"}},
			{"value", Texts{"ru": "Целевое значение", "en": "Target value"}},
			{"progress", Texts{"ru": "Прогресс", "en": "Progress"}},
			{"valueUnit", Texts{"ru": "Единица измерения", "en": "Unit"}},
			{"priority", Texts{"ru": "Приоритет", "en": "Priority"}},
			{"deadlineAt", Texts{"ru": "Срок", "en": "Deadline"}},
			{"inRisk", Texts{"ru": "В зоне риска", "en": "In risk"}},
			{"approvedAt", Texts{"ru": "Дата согласования", "en": "Approved at"}},
			{"completedAt", Texts{"ru": "Дата завершения", "en": "Completed at"}},
		},
		Filters: []ReportFilter{{Name: "period", Type: FilterPeriod, Label: Texts{"ru": "Срок (период)", "en": "Deadline (period)"}},
			{Name: "goal_status", Type: FilterMultiselect, Label: Texts{"ru": "Статус цели", "en": "Goal status"}, Values: []FilterValue{
				{"active", Texts{"ru": "Активные", "en": "Active"}},
				{"completed", Texts{"ru": "Завершённые", "en": "Completed"}},
			}}, usersFilter, userStatusFilter}},
	{Kind: ReportQuests, Title: Texts{"ru": "Квесты", "en": "Quests"}, Multiple: true,
		Columns: []ReportColumn{
			{"student", Texts{"ru": "Студент", "en": "Student"}},
			{"task", Texts{"ru": "Задание", "en": "Task"}},
			{"status", Texts{"ru": "Статус задания", "en": "Task status"}},
			{"lastReviewAt", Texts{"ru": "Дата последней проверки", "en": "Last review at"}},
			{"score", Texts{"ru": "Начислено баллов", "en": "Score earned"}},
		},
		Filters: []ReportFilter{{Name: "quests", Type: FilterMultiselect, Label: Texts{"ru": "Квесты", "en": "Quests"}, URL: "reports/filters/quests"},
			{Name: "task_status", Type: FilterMultiselect, Label: Texts{"ru": "Статус задания", "en": "Task status"}, Values: []FilterValue{
				{string(TaskInProgress), Texts{"ru": "В работе", "en": "In progress"}},
				{string(TaskChecking), Texts{"ru": "На проверке", "en": "Checking"}},
				{string(TaskRedo), Texts{"ru": "На доработке", "en": "Redo"}},
				{string(TaskComplete), Texts{"ru": "Выполнено", "en": "Complete"}},
				{string(TaskFail), Texts{"ru": "Не выполнено", "en": "Failed"}},
			}}, usersFilter, userStatusFilter}},
}

// ReportDefs lists the report types, in reports/list's order.
func ReportDefs() []ReportDef { return reportDefs }

// ReportDefOf finds a report type; false when there is none.
func ReportDefOf(kind string) (ReportDef, bool) {
	for _, d := range reportDefs {
		if string(d.Kind) == kind {
			return d, true
		}
	}
	return ReportDef{}, false
}

// Texts of filter errors (the document gives none: these are in the style
// of its other texts).
const (
	msgUnknownFilter   = "Unknown filter"
	msgArrayExpected   = "Invalid value. An array is expected"
	msgIDsExpected     = "Invalid value. An array of ids is expected"
	msgTooManyValues   = "Invalid value. Too many values"
	msgAllowedValues   = "Invalid value. Allowed values: "
	msgUsersNotFound   = "User not found: "
	msgBadgesNotFound  = "Badge not found: "
	msgQuestsNotFound  = "Quest not found: "
	msgPeriodFormat    = "Invalid period. Expected {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\"}"
	msgPeriodReversed  = "Invalid period. The start date is later than the end date"
	maxFilterValues    = 10000
	maxFilterValueText = 1000
)

// ReportPlan is a report ready to read: its query and what its answer
// says besides the rows.
type ReportPlan struct {
	Def    ReportDef
	Locale string
	Query  ReportQuery
	// Columns are those the rows carry: the type's, and user_status last
	// when the request named it.
	Columns    []ReportColumn
	ShowStatus bool
	Title      string
	// Metadata: a readable entry for each non-empty filter sent, in the
	// type's filter order.
	Metadata []Entry
	// Errors: filter name → text, in the type's filter order (unknown
	// filters after); a report with errors has no rows.
	Errors []Entry
	// Badges are the titles and grades of the badges rows name (badges
	// report); Quests the quests paged and their tasks' titles (quests
	// report).
	Badges map[int64]Badge
	Quests []Quest
	Tasks  map[int64]QuestTask
	// Now is when the report is read: goals' risk is judged at it.
	Now      time.Time
	Platform Platform
}

// Entry is one key and its text.
type Entry struct{ Key, Value string }

// Label is t in the plan's language.
func (p *ReportPlan) Label(t Texts) string { return Localized(t, p.Locale, p.Platform) }

// PlanReport checks a report's filters (filters: the request's "filters"
// object, nil or JSON null for none) and plans it at now in locale. Wrong
// filters are not an error: the plan carries them (Errors) and no query.
// Only the store failing is.
func (s *Service) PlanReport(ctx context.Context, def ReportDef, filters []byte, locale string, p Platform, now time.Time) (*ReportPlan, error) {
	plan := &ReportPlan{Def: def, Locale: locale, Platform: p, Now: now, Columns: def.Columns}
	plan.Query.From, plan.Query.To = reportTimeMin, reportTimeMax
	raw := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(filters)) > 0 && !bytes.Equal(bytes.TrimSpace(filters), []byte("null")) {
		if err := json.Unmarshal(filters, &raw); err != nil {
			return nil, errFiltersNotObject
		}
	}
	var periodText string
	for _, f := range def.Filters {
		v, sent := raw[f.Name]
		delete(raw, f.Name)
		if !sent || isJSONNull(v) {
			continue
		}
		text, msg, err := s.applyFilter(ctx, plan, f, v)
		if err != nil {
			return nil, err
		}
		switch {
		case msg != "":
			plan.Errors = append(plan.Errors, Entry{f.Name, msg})
		case text != "":
			plan.Metadata = append(plan.Metadata, Entry{f.Name, text})
			if f.Type == FilterPeriod {
				periodText = text
			}
		}
	}
	unknown := make([]string, 0, len(raw))
	for name := range raw {
		unknown = append(unknown, name)
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		plan.Errors = append(plan.Errors, Entry{name, msgUnknownFilter})
	}
	if len(plan.Query.Statuses) == 0 {
		plan.Query.Statuses = []UserStatus{UserActive}
	} else {
		plan.ShowStatus = true
		plan.Columns = append(slices.Clip(def.Columns), StatusColumn)
	}
	if def.Kind == ReportBalances && !p.PrizeCatalogValid(now) {
		// "payment only while the licence is valid": the balance is not
		// there without it.
		plan.Columns = slices.DeleteFunc(slices.Clone(plan.Columns), func(c ReportColumn) bool { return c.Name == "payment" })
	}
	plan.Title = plan.Label(def.Title)
	if periodText != "" {
		plan.Title += ", " + periodText
	}
	if len(plan.Errors) > 0 {
		return plan, nil
	}
	return plan, s.loadReportTitles(ctx, plan)
}

// errFiltersNotObject: "filters" is not a JSON object; the API refuses
// the request as undecodable.
var errFiltersNotObject = &stend.Error{Kind: stend.Invalid, Op: "motivity.PlanReport", Message: "filters is not a JSON object"}

// Bounds of an unbounded period: instants both stores hold.
var (
	reportTimeMin = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	reportTimeMax = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
)

func isJSONNull(v json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(v), []byte("null")) }

// applyFilter sets what f's value v asks for in plan.Query and returns
// its readable text, or the error text of a wrong value.
func (s *Service) applyFilter(ctx context.Context, plan *ReportPlan, f ReportFilter, v json.RawMessage) (text, msg string, err error) {
	q := &plan.Query
	if f.Type == FilterPeriod {
		return applyPeriod(plan, v)
	}
	switch f.Name {
	case "badges", "quests":
		ids, msg := idArray(v)
		if msg != "" || len(ids) == 0 {
			return "", msg, nil
		}
		if f.Name == "badges" {
			return s.applyBadges(ctx, plan, ids)
		}
		return s.applyQuests(ctx, plan, ids)
	}
	values, msg := stringArray(v)
	if msg != "" || len(values) == 0 {
		return "", msg, nil
	}
	if f.Name == "users" {
		// As every method compares identifiers: e-mail addresses without
		// regard to case.
		for i, v := range values {
			values[i] = NormalizeIdentifier(plan.Platform.IdentifierKind, v)
		}
		values = convertAll[string](values)
		unknown, err := s.Store.UnknownUsers(ctx, values)
		if err != nil {
			return "", "", err
		}
		if len(unknown) > 0 {
			return "", msgUsersNotFound + strings.Join(unknown, ", "), nil
		}
		q.Users = values
		return strings.Join(values, ", "), "", nil
	}
	labels := make([]string, 0, len(values))
	for _, value := range values {
		i := slices.IndexFunc(f.Values, func(fv FilterValue) bool { return fv.Value == value })
		if i < 0 {
			allowed := make([]string, len(f.Values))
			for j, fv := range f.Values {
				allowed[j] = fv.Value
			}
			return "", msgAllowedValues + strings.Join(allowed, ", "), nil
		}
		labels = append(labels, plan.Label(f.Values[i].Label))
	}
	switch f.Name {
	case "user_status":
		q.Statuses = convertAll[UserStatus](values)
	case "balance_type":
		q.Balances = convertAll[BalanceType](values)
	case "task_status":
		q.TaskStatuses = convertAll[TaskStatus](values)
	case "goal_status":
		q.GoalStatus = values
	}
	return strings.Join(labels, ", "), "", nil
}

func convertAll[T ~string](values []string) []T {
	out := make([]T, 0, len(values))
	for _, v := range values {
		if !slices.Contains(out, T(v)) {
			out = append(out, T(v))
		}
	}
	return out
}

// stringArray reads an array of strings, each kept once, in order.
func stringArray(v json.RawMessage) ([]string, string) {
	var values []string
	if err := json.Unmarshal(v, &values); err != nil {
		return nil, msgArrayExpected
	}
	if len(values) > maxFilterValues {
		return nil, msgTooManyValues
	}
	out := values[:0]
	for _, s := range values {
		if len(s) > maxFilterValueText || hasNUL(s) {
			return nil, msgArrayExpected
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, ""
}

// idArray reads an array of ids (JSON integers), each kept once.
func idArray(v json.RawMessage) ([]int64, string) {
	var raw []json.RawMessage
	if err := json.Unmarshal(v, &raw); err != nil {
		return nil, msgIDsExpected
	}
	if len(raw) > maxFilterValues {
		return nil, msgTooManyValues
	}
	var ids []int64
	for _, n := range raw {
		// Digits only: a quoted "1" is a string, not an id.
		id, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil {
			return nil, msgIDsExpected
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, ""
}

// applyPeriod reads {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}, each bound
// optional, both days included, as the platform's calendar days.
func applyPeriod(plan *ReportPlan, v json.RawMessage) (text, msg string, err error) {
	var period struct {
		From *string `json:"from"`
		To   *string `json:"to"`
	}
	if json.Unmarshal(v, &period) != nil {
		return "", msgPeriodFormat, nil
	}
	day := func(s *string) (*stend.Date, bool) {
		if s == nil {
			return nil, true
		}
		d, ok := stend.ParseDate(*s)
		return &d, ok
	}
	from, okFrom := day(period.From)
	to, okTo := day(period.To)
	switch {
	case !okFrom || !okTo:
		return "", msgPeriodFormat, nil
	case from != nil && to != nil && from.Compare(*to) > 0:
		return "", msgPeriodReversed, nil
	case from == nil && to == nil:
		return "", "", nil
	}
	q, loc := &plan.Query, plan.Platform.Location()
	q.FromDay, q.ToDay = from, to
	bound := func(d *stend.Date) string {
		if d == nil {
			return "…"
		}
		return d.String()
	}
	if from != nil {
		q.From = time.Date(from.Year, from.Month, from.Day, 0, 0, 0, 0, loc)
	}
	if to != nil {
		q.To = DeadlineEnd(*to, loc)
	}
	return bound(from) + " – " + bound(to), "", nil
}

// applyBadges narrows to badges not deleted (a badge names its grades
// too).
func (s *Service) applyBadges(ctx context.Context, plan *ReportPlan, ids []int64) (string, string, error) {
	badges, err := s.Store.Badges(ctx)
	if err != nil {
		return "", "", err
	}
	byID := map[int64]Badge{}
	for _, b := range badges {
		byID[b.ID] = b
		for _, g := range b.Children {
			byID[g.ID] = g
		}
	}
	var unknown, titles []string
	for _, id := range ids {
		b, ok := byID[id]
		if !ok {
			unknown = append(unknown, strconv.FormatInt(id, 10))
			continue
		}
		titles = append(titles, Localized(b.Texts, plan.Locale, plan.Platform).Title)
		plan.Query.Badges = append(plan.Query.Badges, id)
		for _, g := range b.Children {
			plan.Query.Badges = append(plan.Query.Badges, g.ID)
		}
	}
	if len(unknown) > 0 {
		return "", msgBadgesNotFound + strings.Join(unknown, ", "), nil
	}
	return strings.Join(titles, ", "), "", nil
}

// applyQuests narrows to quests not deleted.
func (s *Service) applyQuests(ctx context.Context, plan *ReportPlan, ids []int64) (string, string, error) {
	quests, err := s.LiveQuests(ctx)
	if err != nil {
		return "", "", err
	}
	var unknown, titles []string
	for _, id := range ids {
		q, ok := quests[id]
		if !ok {
			unknown = append(unknown, strconv.FormatInt(id, 10))
			continue
		}
		titles = append(titles, Localized(q.Texts, plan.Locale, plan.Platform).Title)
		plan.Query.Quests = append(plan.Query.Quests, id)
	}
	if len(unknown) > 0 {
		return "", msgQuestsNotFound + strings.Join(unknown, ", "), nil
	}
	return strings.Join(titles, ", "), "", nil
}

// loadReportTitles reads the titles rows name by id: badges (with their
// grades; deleted ones too, since their assignments stay) and quests'
// tasks.
func (s *Service) loadReportTitles(ctx context.Context, plan *ReportPlan) error {
	switch plan.Def.Kind {
	case ReportBadges:
		plan.Badges = map[int64]Badge{}
		badges, err := s.Store.Badges(ctx)
		if err != nil {
			return err
		}
		for _, b := range badges {
			plan.Badges[b.ID] = b
			for _, g := range b.Children {
				plan.Badges[g.ID] = g
			}
		}
	case ReportQuests:
		plan.Tasks = map[int64]QuestTask{}
		quests, err := s.LiveQuests(ctx)
		if err != nil {
			return err
		}
		if plan.Query.Quests == nil {
			plan.Query.Quests = []int64{}
			for id := range quests {
				plan.Query.Quests = append(plan.Query.Quests, id)
			}
		}
		slices.Sort(plan.Query.Quests)
		for _, id := range plan.Query.Quests {
			plan.Quests = append(plan.Quests, quests[id])
			tasks, err := s.Store.QuestTasks(ctx, id)
			if err != nil {
				return err
			}
			for _, t := range tasks {
				plan.Tasks[t.ID] = t
			}
		}
	}
	return nil
}

// LiveQuests are the quests not deleted, by id: what reports name.
func (s *Service) LiveQuests(ctx context.Context) (map[int64]Quest, error) {
	out := map[int64]Quest{}
	for after := int64(0); ; {
		qs, err := s.Store.Quests(ctx, after, 1000)
		if err != nil || len(qs) == 0 {
			return out, err
		}
		for _, q := range qs {
			if !q.Deleted {
				out[q.ID] = q
			}
		}
		after = qs[len(qs)-1].ID
	}
}

// BadgeTitle is a badge's title in the plan's language; a badge deleted
// since (absent from the plan's) is read on its own.
func (s *Service) BadgeTitle(ctx context.Context, plan *ReportPlan, id int64) (Badge, error) {
	if b, ok := plan.Badges[id]; ok {
		return b, nil
	}
	b, err := s.Store.Badge(ctx, id)
	if err != nil {
		return Badge{}, fmt.Errorf("motivity.BadgeTitle: %w", err)
	}
	plan.Badges[id] = b
	return b, nil
}

// GoalIncluded reports whether a goal (shown, with its key results) is in
// the report: the period bounds its deadline's day, goal_status its
// completion.
func (p *ReportPlan) GoalIncluded(g Goal) bool {
	q := p.Query
	if q.FromDay != nil && g.Deadline.Compare(*q.FromDay) < 0 || q.ToDay != nil && g.Deadline.Compare(*q.ToDay) > 0 {
		return false
	}
	if q.GoalStatus == nil {
		return true
	}
	status := "active"
	if g.CompletedAt != nil {
		status = "completed"
	}
	return slices.Contains(q.GoalStatus, status)
}

// StatusLabel is a user state's label in the plan's language.
func (p *ReportPlan) StatusLabel(s UserStatus) string {
	for _, v := range userStatusFilter.Values {
		if v.Value == string(s) {
			return p.Label(v.Label)
		}
	}
	return string(s)
}
