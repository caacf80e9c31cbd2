package scoring_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scoring"
)

type countingObserver struct {
	mu     sync.Mutex
	ids    []string
	scores []int
}

func (o *countingObserver) Observe(id string, _ *model.Model, r *model.Result) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ids, o.scores = append(o.ids, id), append(o.scores, r.Score)
}

// TestObserverSeesLiveScores: the drift monitor is told of every live
// score, pulls and decisions, with the model that made it, and not of a
// person's score history, which is past scores, nor of refused pulls.
func TestObserverSeesLiveScores(t *testing.T) {
	ctx := context.Background()
	obs := &countingObserver{}
	programs, err := decision.LoadPrograms(strings.NewReader(apitest.Programs))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := scoring.New(scoring.Config{Store: fixtureStore(), Model: apitest.Model(t), Programs: programs, Log: &recordLog{}, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	_, id := svc.Model()
	sc, err := svc.Score(ctx, scoring.Caller{Client: self, RequestID: "r1"}, apitest.Own, "subject_self_access")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Decide(ctx, scoring.Caller{Client: lender, RequestID: "r2"}, apitest.Own, "bike"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Score(ctx, scoring.Caller{Client: lender, RequestID: "r3"}, apitest.Own, "employment_screening"); err == nil {
		t.Fatal("a refused purpose was served")
	}
	if _, err := svc.History(ctx, scoring.Caller{Client: self, RequestID: "r4"}, apitest.Own, []time.Time{time.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if len(obs.ids) != 2 || obs.ids[0] != id || obs.ids[1] != id || obs.scores[0] != sc.Result.Score {
		t.Fatalf("observed %v %v, want the pull's and the decision's scores by %s", obs.ids, obs.scores, id)
	}
}
