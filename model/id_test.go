package model_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
)

func TestIDNamesTheVersion(t *testing.T) {
	m, err := modeltest.Scorecard(600,
		modeltest.Step("missed_payments_12m", "payment_history", "MISSED", []float64{1, 3}, []int{60, 20, 0}, 10))
	if err != nil {
		t.Fatal(err)
	}
	id, err := model.ID(m)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^` + m.Kind + `-[0-9a-f]{12}$`).MatchString(id) {
		t.Fatalf("ID = %q, want %s- and 12 hex digits", id, m.Kind)
	}
	again, _ := model.ID(m)
	if again != id {
		t.Fatalf("ID not stable: %q then %q", id, again)
	}
	m.Features[0].Bins[0].Points++
	changed, _ := model.ID(m)
	if changed == id {
		t.Fatal("changing a bin's points kept the ID")
	}
	m.Features[0].Bins[0].Points--
	m.CreatedAt = m.CreatedAt.Add(time.Second)
	if retrained, _ := model.ID(m); retrained == id {
		t.Fatal("another creation time kept the ID")
	}
}
