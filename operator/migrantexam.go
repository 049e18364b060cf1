package operator

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"stend"
	"stend/credential"
	"stend/migrantexam"
)

// NewOrganization asks for an organization; an empty password or API key is
// generated.
type NewOrganization struct {
	Name     string `json:"name"`
	Username string `json:"username"`
	Password string `json:"password,omitempty"`
	APIKey   string `json:"apiKey,omitempty"`
}

// Organization is what an operator sees of an organization: never its
// credential hashes.
type Organization struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Username  string    `json:"username"`
	CreatedAt time.Time `json:"createdAt"`
}

// Credentials are shown once, when created or rotated; only their hashes
// are kept.
type Credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
	APIKey   string `json:"apiKey"`
}

// CreatedOrganization answers a creation.
type CreatedOrganization struct {
	Organization
	Credentials Credentials `json:"credentials"`
}

func organizationView(o migrantexam.Organization) Organization {
	return Organization{ID: o.ID, Name: o.Name, Username: o.Username, CreatedAt: o.CreatedAt}
}

func (n *NewOrganization) normalize() error {
	if err := storable("operator", *n); err != nil {
		return err
	}
	n.Name, n.Username = strings.TrimSpace(n.Name), strings.TrimSpace(n.Username)
	switch {
	case n.Username == "":
		return stend.Errorf(stend.Invalid, "operator", "username is required")
	case strings.Contains(n.Username, ":"):
		// Basic authentication splits at the first colon.
		return stend.Errorf(stend.Invalid, "operator", "username may not contain ':'")
	case len(n.Username) > 200 || len(n.Name) > 500 || len(n.Password) > 200 || len(n.APIKey) > 200:
		return stend.Errorf(stend.Invalid, "operator", "name, username, password or apiKey too long")
	}
	if n.Name == "" {
		n.Name = n.Username
	}
	return nil
}

// CreateOrganization creates an organization and returns its credentials,
// generating those not given.
func (s *Service) CreateOrganization(ctx context.Context, n NewOrganization) (CreatedOrganization, error) {
	if err := n.normalize(); err != nil {
		return CreatedOrganization{}, err
	}
	if n.Password == "" {
		n.Password = credential.NewSecret(12)
	}
	if n.APIKey == "" {
		n.APIKey = credential.NewSecret(24)
	}
	hash, err := credential.HashPassword(n.Password, s.PasswordIterations)
	if err != nil {
		return CreatedOrganization{}, err
	}
	org, err := s.MigrantExam.CreateOrganization(ctx, migrantexam.Organization{
		Name: n.Name, Username: n.Username, PasswordHash: hash, APIKeyHash: s.Keys.Hash(n.APIKey), CreatedAt: s.now(),
	})
	if stend.IsKind(err, stend.Conflict) {
		return CreatedOrganization{}, stend.Errorf(stend.Conflict, "operator.CreateOrganization", "username %q or its API key is taken", n.Username)
	}
	if err != nil {
		return CreatedOrganization{}, err
	}
	return CreatedOrganization{Organization: organizationView(org), Credentials: Credentials{n.Username, n.Password, n.APIKey}}, nil
}

// EnsureOrganization makes an organization match n, for the seed file:
// created when missing, credentials rewritten only when the given ones do
// not already match. It reports whether anything changed, and the generated
// credentials of a new organization.
func (s *Service) EnsureOrganization(ctx context.Context, n NewOrganization) (Organization, *Credentials, error) {
	if err := n.normalize(); err != nil {
		return Organization{}, nil, err
	}
	org, err := s.MigrantExam.OrganizationByUsername(ctx, n.Username)
	if stend.IsKind(err, stend.NotFound) {
		created, err := s.CreateOrganization(ctx, n)
		if err != nil {
			return Organization{}, nil, err
		}
		return created.Organization, &created.Credentials, nil
	}
	if err != nil {
		return Organization{}, nil, err
	}
	changed := org.Name != n.Name
	org.Name = n.Name
	if n.Password != "" {
		if ok, _ := credential.CheckPassword(org.PasswordHash, n.Password); !ok {
			if org.PasswordHash, err = credential.HashPassword(n.Password, s.PasswordIterations); err != nil {
				return Organization{}, nil, err
			}
			changed = true
		}
	}
	if n.APIKey != "" && !credential.EqualHash(org.APIKeyHash, s.Keys.Hash(n.APIKey)) {
		org.APIKeyHash = s.Keys.Hash(n.APIKey)
		changed = true
	}
	if changed {
		if org, err = s.MigrantExam.UpdateOrganization(ctx, org); err != nil {
			return Organization{}, nil, err
		}
		s.credentialsChanged()
	}
	return organizationView(org), nil, nil
}

// RotateCredentials replaces an organization's password and API key,
// generating those not given, and shows the new ones once.
func (s *Service) RotateCredentials(ctx context.Context, orgID int64, password, apiKey string) (Credentials, error) {
	if err := storable("operator.RotateCredentials", map[string]string{"password": password, "apiKey": apiKey}); err != nil {
		return Credentials{}, err
	}
	org, err := s.MigrantExam.OrganizationByID(ctx, orgID)
	if err != nil {
		return Credentials{}, err
	}
	if password == "" {
		password = credential.NewSecret(12)
	}
	if apiKey == "" {
		apiKey = credential.NewSecret(24)
	}
	if org.PasswordHash, err = credential.HashPassword(password, s.PasswordIterations); err != nil {
		return Credentials{}, err
	}
	org.APIKeyHash = s.Keys.Hash(apiKey)
	if _, err := s.MigrantExam.UpdateOrganization(ctx, org); err != nil {
		return Credentials{}, err
	}
	s.credentialsChanged()
	return Credentials{org.Username, password, apiKey}, nil
}

func (s *Service) Organizations(ctx context.Context) ([]Organization, error) {
	orgs, err := s.MigrantExam.Organizations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Organization, len(orgs))
	for i, o := range orgs {
		out[i] = organizationView(o)
	}
	return out, nil
}

func (s *Service) Organization(ctx context.Context, id int64) (Organization, error) {
	o, err := s.MigrantExam.OrganizationByID(ctx, id)
	return organizationView(o), err
}

// Area is an examination area as operators see it.
type Area struct {
	ID             int64     `json:"id"`
	OrganizationID int64     `json:"organizationId"`
	Name           string    `json:"name"`
	CreatedAt      time.Time `json:"createdAt"`
}

// GrantArea gives area areaID (0: the next free id) to an organization.
func (s *Service) GrantArea(ctx context.Context, orgID, areaID int64, name string) (Area, error) {
	if _, err := s.MigrantExam.OrganizationByID(ctx, orgID); err != nil {
		return Area{}, err
	}
	if len(name) > 500 {
		return Area{}, stend.Errorf(stend.Invalid, "operator.GrantArea", "name too long")
	}
	if err := storable("operator.GrantArea", map[string]string{"name": name}); err != nil {
		return Area{}, err
	}
	a, err := s.MigrantExam.GrantArea(ctx, migrantexam.ExaminationArea{ID: areaID, OrganizationID: orgID, Name: strings.TrimSpace(name), CreatedAt: s.now()})
	return Area(a), err
}

func (s *Service) RevokeArea(ctx context.Context, orgID, areaID int64) error {
	return s.MigrantExam.RevokeArea(ctx, orgID, areaID)
}

func (s *Service) Areas(ctx context.Context, orgID int64) ([]Area, error) {
	if _, err := s.MigrantExam.OrganizationByID(ctx, orgID); err != nil {
		return nil, err
	}
	areas, err := s.MigrantExam.Areas(ctx, orgID)
	out := make([]Area, len(areas))
	for i, a := range areas {
		out[i] = Area(a)
	}
	return out, err
}

// ReportSummary is one line of a listing.
type ReportSummary struct {
	ID                int64     `json:"id"`
	OrganizationID    int64     `json:"organizationId"`
	ExaminationAreaID int64     `json:"examinationAreaId"`
	PeriodStartDate   string    `json:"periodStartDate"`
	CurrentVersion    int       `json:"currentVersion"`
	CreatedAt         time.Time `json:"createdAt"`
	UpdatedAt         time.Time `json:"updatedAt"`
}

// ReportVersion is one accepted submission, with the document's field names.
type ReportVersion struct {
	Version    int       `json:"version"`
	ReceivedAt time.Time `json:"receivedAt"`
	ReportBody
}

// ReportBody mirrors the request of POST /Reports/Report.
type ReportBody struct {
	ExaminationAreaID                      int64        `json:"examinationAreaId"`
	PeriodStartDate                        string       `json:"periodStartDate"`
	PeriodEndDate                          string       `json:"periodEndDate"`
	NoExamInSelectedPeriod                 bool         `json:"noExamInSelectedPeriod"`
	ExaminationAreaDoesNotWork             bool         `json:"examinationAreaDoesNotWork"`
	PatentNearestStartDate                 *string      `json:"patentNearestStartDate"`
	NoPatentExamType                       *bool        `json:"noPatentExamType"`
	TemporaryResidenceNearestStartDate     *string      `json:"temporaryResidenceNearestStartDate"`
	NoTemporaryResidenceExamType           *bool        `json:"noTemporaryResidenceExamType"`
	ResidencePermitNearestStartDate        *string      `json:"residencePermitNearestStartDate"`
	NoResidencePermitExamType              *bool        `json:"noResidencePermitExamType"`
	CitizenshipRussianLangNearestStartDate *string      `json:"citizenshipRussianLangNearestStartDate"`
	NoCitizenshipRussianLangExamType       *bool        `json:"noCitizenshipRussianLangExamType"`
	CitizenshipHistoryNearestStartDate     *string      `json:"citizenshipHistoryNearestStartDate"`
	NoCitizenshipHistoryExamType           *bool        `json:"noCitizenshipHistoryExamType"`
	Comment                                *string      `json:"comment"`
	Requests                               []RequestRow `json:"requests"`
}

// RequestRow is one exam of a report.
type RequestRow struct {
	IdentityDocumentNumber string `json:"identityDocumentNumber"`
	ExamDate               string `json:"examDate"`
	MigrationExamType      int    `json:"migrationExamType"`
	MigrationExamStatus    int    `json:"migrationExamStatus"`
}

// Report is a report with every version it has had.
type Report struct {
	ReportSummary
	Versions []ReportVersion `json:"versions"`
}

func summary(r migrantexam.Report) ReportSummary {
	return ReportSummary{r.ID, r.OrganizationID, r.ExaminationAreaID, r.PeriodStart.String(), r.CurrentVersion, r.CreatedAt, r.UpdatedAt}
}

func dateString(d *stend.Date) *string {
	if d == nil {
		return nil
	}
	s := d.String()
	return &s
}

func bodyOf(c migrantexam.ReportContent) ReportBody {
	l := c.Levels
	b := ReportBody{
		ExaminationAreaID: c.ExaminationAreaID, PeriodStartDate: c.PeriodStart.String(), PeriodEndDate: c.PeriodEnd.String(),
		NoExamInSelectedPeriod: c.NoExamInSelectedPeriod, ExaminationAreaDoesNotWork: c.ExaminationAreaDoesNotWork,
		PatentNearestStartDate: dateString(l[migrantexam.LevelPatent].NearestStartDate), NoPatentExamType: l[migrantexam.LevelPatent].NoExamType,
		TemporaryResidenceNearestStartDate: dateString(l[migrantexam.LevelTemporaryResidence].NearestStartDate), NoTemporaryResidenceExamType: l[migrantexam.LevelTemporaryResidence].NoExamType,
		ResidencePermitNearestStartDate: dateString(l[migrantexam.LevelResidencePermit].NearestStartDate), NoResidencePermitExamType: l[migrantexam.LevelResidencePermit].NoExamType,
		CitizenshipRussianLangNearestStartDate: dateString(l[migrantexam.LevelCitizenshipRussianLang].NearestStartDate), NoCitizenshipRussianLangExamType: l[migrantexam.LevelCitizenshipRussianLang].NoExamType,
		CitizenshipHistoryNearestStartDate: dateString(l[migrantexam.LevelCitizenshipHistory].NearestStartDate), NoCitizenshipHistoryExamType: l[migrantexam.LevelCitizenshipHistory].NoExamType,
		Comment:  c.Comment,
		Requests: make([]RequestRow, len(c.Requests)),
	}
	for i, q := range c.Requests {
		b.Requests[i] = RequestRow{q.IdentityDocumentNumber, q.ExamDate.String(), q.ExamType, q.ExamStatus}
	}
	return b
}

// Reports lists reports, oldest first, in pages.
func (s *Service) Reports(ctx context.Context, f migrantexam.ReportFilter) ([]ReportSummary, error) {
	rs, err := s.MigrantExam.Reports(ctx, f)
	out := make([]ReportSummary, len(rs))
	for i, r := range rs {
		out[i] = summary(r)
	}
	return out, err
}

// Report reads one report with every version.
func (s *Service) Report(ctx context.Context, id int64) (Report, error) {
	r, err := s.MigrantExam.Report(ctx, id)
	if err != nil {
		return Report{}, err
	}
	out := Report{ReportSummary: summary(r), Versions: make([]ReportVersion, len(r.Versions))}
	for i, v := range r.Versions {
		out.Versions[i] = ReportVersion{Version: v.Version, ReceivedAt: v.ReceivedAt, ReportBody: bodyOf(v.ReportContent)}
	}
	return out, nil
}

// errString keeps operator error texts short and free of SQL.
func errString(err error) string {
	var se *stend.Error
	if errors.As(err, &se) && se.Message != "" {
		return se.Message
	}
	return fmt.Sprint(stend.KindOf(err))
}
