package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model/modeltest"
	"github.com/opencredit/opencredit/report"
)

// TestModelCard: the card carries the model's identity and state, the
// permitted purposes and the refused ones, the fairness evidence with the
// gate's verdict and any override, the derived and the stated limitations,
// and the approval history; hostile text is escaped.
func TestModelCard(t *testing.T) {
	m, err := modeltest.Scorecard(500, modeltest.Step("x", "capacity", "X", []float64{1}, []int{0, 50}, 0))
	if err != nil {
		t.Fatal(err)
	}
	m.Training.Rows, m.Training.Bads, m.Training.File = 1000, 300, "train.csv"
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	c := report.Card{
		Version: opencredit.ModelVersion{ID: "scorecard-0123456789ab", Kind: "scorecard", Author: "alice", CreatedAt: at, State: opencredit.ModelActive, UpdatedAt: at,
			Fairness: []opencredit.FairnessCheck{{Attribute: "age", Group: "under 25", Cutoff: 600, Rows: 120, AIR: 0.72}}},
		Transitions: []opencredit.ModelTransition{
			{Model: "scorecard-0123456789ab", From: "draft", To: "approved", By: "bob", At: at, Note: "validated", Override: "capped limits <b>instead</b>"},
			{Model: "scorecard-0123456789ab", From: "approved", To: "active", By: "bob", At: at},
		},
		Limitations: []string{"1994 data"},
	}
	var b strings.Builder
	if err := report.WriteModelCard(&b, m, c); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		"Model card: scorecard-0123456789ab", "active since 2026-12-01 09:00:00 UTC", "alice",
		"credit_application", "employment", "The fairness gate refuses this model: 1 group(s)",
		"Fairness override recorded:", "capped limits &lt;b&gt;instead&lt;/b&gt;", "1994 data",
		"Trained on 1000 rows", "draft → approved", "approved → active", `id="model"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the card lacks %q", want)
		}
	}
	if strings.Contains(html, "<b>instead</b>") {
		t.Error("an override's text was not escaped")
	}
}
