package chat_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/bizconnect/bizconnect/core/chat"
)

// TestQuestionsNeverCreateTasks: of every message of the held-out set (core/nlu/testdata/heldout)
// that is a question, none creates a task without the user confirming it first, whatever the
// model reads it as: a question is asked back, or answered.
func TestQuestionsNeverCreateTasks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	files, _ := filepath.Glob("../nlu/testdata/heldout/*.jsonl")
	b.say(t, "anna", "завтра в 11 созвон с юристом") // something to move, complete or delete
	questions := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			var c struct{ Text string }
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				t.Fatal(err)
			}
			if !chat.IsQuestion(c.Text) {
				continue
			}
			questions++
			before := row[int](t, b, `SELECT count(*) FROM tasks WHERE deleted_at IS NULL`)
			b.say(t, "anna", c.Text)
			if n := row[int](t, b, `SELECT count(*) FROM tasks WHERE deleted_at IS NULL`); n > before {
				t.Errorf("the question %q created a task", c.Text)
				b.say(t, "anna", "отмени")
			}
		}
		fh.Close()
	}
	if questions < 150 {
		t.Fatalf("only %d questions in the held-out set", questions)
	}
}
