package motivity

import (
	"context"
	"net/http"
	"strconv"
)

// Badge is a badge of the platform (GET /badge), its texts in the
// request's locale (WithLocale) with the platform's fallback.
type Badge struct {
	ID    int64
	Title string
	// Image is the image's URL; a badge whose image is a file of the
	// platform gets a download link valid for about a day.
	Image string
	// Description and Color are nil when the badge has none.
	Description      *string
	PopupDescription string
	Color            *string
	Active           bool
	System           bool
	// Grade is the grade of a child (1, 2, …), 0 for a top-level badge.
	Grade int
	// Children are a graded badge's grades, by grade; empty for a badge
	// without grades. A badge with children (a parent) cannot be assigned:
	// assign one of its grades.
	Children []Badge
}

// badgeFieldsJSON are the fields of a badge and of a grade alike.
type badgeFieldsJSON struct {
	ID               int64   `json:"id"`
	Title            string  `json:"title"`
	Image            string  `json:"image"`
	Description      *string `json:"description"`
	PopupDescription string  `json:"popupDescription"`
	Color            *string `json:"color"`
	Active           flag    `json:"active"`
	System           flag    `json:"system"`
}

func (b badgeFieldsJSON) badge(grade int, children []Badge) Badge {
	return Badge{ID: b.ID, Title: b.Title, Image: b.Image, Description: b.Description, PopupDescription: b.PopupDescription,
		Color: b.Color, Active: bool(b.Active), System: bool(b.System), Grade: grade, Children: children}
}

type badgeJSON struct {
	badgeFieldsJSON
	Children []gradeJSON `json:"children"`
}

// gradeJSON is a child: the parent's fields but children, and grade.
type gradeJSON struct {
	badgeFieldsJSON
	Grade quotedInt `json:"grade"`
}

// Badges lists every badge not deleted, with its grades.
func (c *Client) Badges(ctx context.Context) ([]Badge, error) {
	var raw []badgeJSON
	if err := c.call(ctx, "Badges", http.MethodGet, "badge", nil, &raw); err != nil {
		return nil, err
	}
	out := make([]Badge, len(raw))
	for i, b := range raw {
		children := make([]Badge, len(b.Children))
		for j, g := range b.Children {
			children[j] = g.badge(int(g.Grade), []Badge{})
		}
		out[i] = b.badge(0, children)
	}
	return out, nil
}

// BadgeUserResult is the outcome of a badge change for one user, in the
// order the users were given.
type BadgeUserResult struct {
	// UserID is the identifier as sent.
	UserID  string
	Success bool
	// Error is the server's text when Success is false ("User not found",
	// "User already has a higher grade badge, remove it first").
	Error string
}

// Err is Error as a Problem (errors.Is(r.Err(), ErrUserNotFound)), nil on
// success.
func (r BadgeUserResult) Err() error {
	if r.Success && r.Error == "" {
		return nil
	}
	return Problem{Message: r.Error, Cause: r.UserID}
}

type badgeChangeJSON struct {
	Result bool `json:"result"`
	Data   []struct {
		ID      string  `json:"id"`
		Success bool    `json:"success"`
		Error   *string `json:"error"`
	} `json:"data"`
}

// AssignBadge gives badge badgeID to the users. The call fails (an
// *APIError matching ErrBadgeNotFound, ErrBadgeInactive, ErrBadgeSystem,
// ErrBadgeParent, ErrRequired) only when the badge cannot be assigned or
// no user is given; users that are not found are reported per user.
// Assigning a grade takes any other grade of the same badge away.
func (c *Client) AssignBadge(ctx context.Context, badgeID int64, userIDs ...string) ([]BadgeUserResult, error) {
	return c.changeBadge(ctx, "AssignBadge", badgeID, "assign", userIDs)
}

// RemoveBadge takes badge badgeID away from the users; a user who does not
// hold it is a success. A system badge or a parent cannot be removed.
func (c *Client) RemoveBadge(ctx context.Context, badgeID int64, userIDs ...string) ([]BadgeUserResult, error) {
	return c.changeBadge(ctx, "RemoveBadge", badgeID, "remove", userIDs)
}

func (c *Client) changeBadge(ctx context.Context, op string, badgeID int64, action string, userIDs []string) ([]BadgeUserResult, error) {
	if userIDs == nil {
		userIDs = []string{} // sent as [], which the server refuses as it documents
	}
	var raw badgeChangeJSON
	path := "badge/" + strconv.FormatInt(badgeID, 10) + "/" + action
	if err := c.call(ctx, op, http.MethodPost, path, map[string][]string{"userId": userIDs}, &raw); err != nil {
		return nil, err
	}
	if !raw.Result || len(raw.Data) != len(userIDs) {
		return nil, malformed(op, "result %v with %d answers for %d users", raw.Result, len(raw.Data), len(userIDs))
	}
	out := make([]BadgeUserResult, len(raw.Data))
	for i, d := range raw.Data {
		out[i] = BadgeUserResult{UserID: d.ID, Success: d.Success}
		if d.Error != nil {
			out[i].Error = *d.Error
		}
		if d.Success == (d.Error != nil) {
			return nil, malformed(op, "user %q: success %v with error %v", d.ID, d.Success, d.Error)
		}
	}
	return out, nil
}
