package motivity

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TaskStatus is a student's task's status.
type TaskStatus string

const (
	InProgress TaskStatus = "in_progress"
	Checking   TaskStatus = "checking"
	Redo       TaskStatus = "redo"
	Complete   TaskStatus = "complete"
	Fail       TaskStatus = "fail"
)

// Quest is a quest as the quest methods show it, texts in the request's
// locale.
type Quest struct {
	ID             int64   `json:"id"`
	Title          string  `json:"title"`
	TextForMentor  string  `json:"textForMentor"`
	URLForMentor   *string `json:"urlForMentor"`
	TextForStudent *string `json:"textForStudent"`
	PreviewImage   *File   `json:"previewImage"`
	// Mentors are the identifiers of the mentors responsible for the
	// quest; nil when it has none.
	Mentors []string `json:"mentors" null:"ok"`
	// Open and Close bound when the quest is visible; nil: unbounded.
	Open  *time.Time `json:"open"`
	Close *time.Time `json:"close"`
	// DeadlineType is "date" (DeadlineDate), "delay" (DeadlineDelay days
	// from the assignment) or another type the platform defines.
	DeadlineType         string     `json:"deadlineType"`
	DeadlineDelay        *int64     `json:"deadlineDelay"`
	DeadlineDate         *time.Time `json:"deadlineDate"`
	Threshold            *int64     `json:"threshold"`
	ScoreThreshold       *int64     `json:"scoreThreshold"`
	Score                *int64     `json:"score"`
	Certificate          *int64     `json:"certificate"`
	CertificateCompleted *int64     `json:"certificateCompleted"`
	MentorScore          *int64     `json:"mentorScore"`
	ScoreInTime          *int64     `json:"scoreInTime"`
	CertificateDeadline  *int64     `json:"certificateDeadline"`
	QuizID               *int64     `json:"quizId"`
}

// QuestTask is a task of a quest.
type QuestTask struct {
	ID           int64   `json:"id"`
	Title        string  `json:"title"`
	Summary      *string `json:"summary"`
	Text         string  `json:"text"`
	MentorTip    *string `json:"mentorTip"`
	Score        *int64  `json:"score"`
	PreviewImage *File   `json:"previewImage"`
	QuizID       *int64  `json:"quizId"`
}

// StudentTask is a task of one student.
type StudentTask struct {
	StudentID  string     `json:"studentId"`
	Task       QuestTask  `json:"task"`
	TaskStatus TaskStatus `json:"taskStatus"`
}

// Pagination of a task list.
type Pagination struct {
	CurrentPage    int   `json:"currentPage"`
	RecordsPerPage int   `json:"recordsPerPage"`
	TotalRecords   int64 `json:"totalRecords"`
	TotalPages     int64 `json:"totalPages"`
}

// TaskList is a page of a quest's students' tasks.
type TaskList struct {
	Quest      Quest         `json:"quest"`
	Items      []StudentTask `json:"items"`
	Pagination Pagination    `json:"pagination"`
}

// TaskQuery narrows a task list; zero fields do not.
type TaskQuery struct {
	TaskID    int64
	StudentID string
	Statuses  []TaskStatus
	// Page counts from 1; PageSize is 1–100 (ErrIncorrectPageSize
	// otherwise), 20 when 0.
	Page, PageSize int
}

// QuestTasks lists the tasks of a quest's students, by task then student
// (GET /quest/{questId}/task). A quest that is not visible now is
// ErrQuestNotFound; the filters' problems (ErrTaskNotFound,
// ErrUserNotFound, ErrNotQuestStudent, ErrIncorrectStatus,
// ErrIncorrectPageSize) come together in one *APIError.
func (c *Client) QuestTasks(ctx context.Context, questID int64, q TaskQuery) (*TaskList, error) {
	v := url.Values{}
	if q.TaskID != 0 {
		v.Set("taskId", strconv.FormatInt(q.TaskID, 10))
	}
	if q.StudentID != "" {
		v.Set("studentId", q.StudentID)
	}
	if len(q.Statuses) > 0 {
		s := make([]string, len(q.Statuses))
		for i, st := range q.Statuses {
			s[i] = string(st)
		}
		v.Set("status", strings.Join(s, ","))
	}
	if q.Page != 0 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if q.PageSize != 0 {
		v.Set("pageSize", strconv.Itoa(q.PageSize))
	}
	path := "quest/" + strconv.FormatInt(questID, 10) + "/task"
	if len(v) > 0 {
		path += "?" + v.Encode()
	}
	var raw struct {
		Result bool `json:"result"`
		TaskList
	}
	if err := c.call(ctx, "QuestTasks", http.MethodGet, path, nil, &raw); err != nil {
		return nil, err
	}
	if !raw.Result {
		return nil, malformed("QuestTasks", "result false")
	}
	return &raw.TaskList, nil
}

// Message is a message of a task's thread: a student's answer (status
// checking) or a mentor's review (the status it set).
type Message struct {
	AuthorID string     `json:"authorId"`
	Date     time.Time  `json:"date"`
	Text     string     `json:"text"`
	Status   TaskStatus `json:"status"`
	// Files are nil when the message has none.
	Files []File `json:"files" null:"ok"`
}

// Thread is a student's task with its messages.
type Thread struct {
	Quest Quest
	// Messages are oldest first; nil when there are none.
	Messages   []Message
	StudentID  string
	Task       QuestTask
	TaskStatus TaskStatus
}

type threadJSON struct {
	Result bool  `json:"result"`
	Quest  Quest `json:"quest"`
	Data   struct {
		Messages   []Message  `json:"messages" null:"ok"`
		StudentID  string     `json:"studentId"`
		Task       QuestTask  `json:"task"`
		TaskStatus TaskStatus `json:"taskStatus"`
	} `json:"data"`
}

func (c *Client) thread(ctx context.Context, op, method, path string, body any) (*Thread, error) {
	var raw threadJSON
	if err := c.call(ctx, op, method, path, body, &raw); err != nil {
		return nil, err
	}
	if !raw.Result {
		return nil, malformed(op, "result false")
	}
	d := raw.Data
	return &Thread{Quest: raw.Quest, Messages: d.Messages, StudentID: d.StudentID, Task: d.Task, TaskStatus: d.TaskStatus}, nil
}

func threadPath(questID, taskID int64, studentID string) string {
	return "quest/" + strconv.FormatInt(questID, 10) + "/task/" + strconv.FormatInt(taskID, 10) + "/student/" + seg(studentID)
}

// QuestThread reads a student's task and its thread
// (GET /quest/{questId}/task/{taskId}/student/{studentId}).
func (c *Client) QuestThread(ctx context.Context, questID, taskID int64, studentID string) (*Thread, error) {
	return c.thread(ctx, "QuestThread", http.MethodGet, threadPath(questID, taskID, studentID), nil)
}

// Review is a mentor's review of a task in checking.
type Review struct {
	// MentorID is the student's mentor or one responsible for the quest.
	MentorID string `json:"mentorId"`
	// Status is Redo, Complete or Fail.
	Status TaskStatus `json:"status"`
	// Text is at most 6,000 characters.
	Text string `json:"text,omitempty"`
	// Files are ids of uploaded files, at most 100.
	Files []int64 `json:"files,omitempty"`
}

// ReviewTask reviews a student's task and returns the thread with the
// review (POST …/student/{studentId}). What the review earns (the task's
// score, the quest's awards) is paid by the server at once. The problems
// of a refused review come together (ErrNotChecking, ErrNotStudentMentor,
// ErrFieldsRequired, ErrInvalidReviewStatus, ErrTextTooLong,
// ErrFileNotFound, …) and it changes nothing.
func (c *Client) ReviewTask(ctx context.Context, questID, taskID int64, studentID string, r Review) (*Thread, error) {
	return c.thread(ctx, "ReviewTask", http.MethodPost, threadPath(questID, taskID, studentID), r)
}
