package scoring_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scoring"
)

// recordLog keeps what is appended, for a test to read.
type recordLog struct {
	mu   sync.Mutex
	recs []audit.Record
}

func (l *recordLog) Append(_ context.Context, recs ...audit.Record) (int64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, recs...)
	return int64(len(l.recs)), nil
}

// Record is scoring.Log's read of one record, which a review needs.
func (l *recordLog) Record(_ context.Context, n int64) ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n < 0 || n >= int64(len(l.recs)) {
		return nil, opencredit.Errorf(opencredit.ENOTFOUND, "no record %d", n)
	}
	return l.recs[n].Encode()
}

// TestSetModelUnderLoad swaps two models back and forth while pulls run:
// every answer's points are what the model it names gives its features, and
// its audit record names the same model: no request mixes the two.
func TestSetModelUnderLoad(t *testing.T) {
	ctx := context.Background()
	a := apitest.Model(t)
	b := *a
	b.BasePoints += 40 // the same table, 40 points more: another id
	models := map[string]*model.Model{}
	for _, m := range []*model.Model{a, &b} {
		id, err := model.ID(m)
		if err != nil {
			t.Fatal(err)
		}
		models[id] = m
	}
	if len(models) != 2 {
		t.Fatal("the two models have one id")
	}
	log := &recordLog{}
	svc, err := scoring.New(scoring.Config{Store: fixtureStore(), Model: a, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	const workers, pulls, swaps = 4, 200, 400
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(done)
		for i := range swaps {
			m := a
			if i%2 == 0 {
				m = &b
			}
			if _, err := svc.SetModel(m); err != nil {
				t.Error(err)
				return
			}
		}
	})
	type answer struct {
		id    string
		score int
		req   string
	}
	answers := make([][]answer, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range pulls {
				req := fmt.Sprintf("w%d-%d", w, i)
				sc, err := svc.Score(ctx, scoring.Caller{Client: self, RequestID: req}, apitest.Own, "subject_self_access")
				if err != nil {
					t.Error(err)
					return
				}
				want, err := scoring.ScoreFeatures(models[sc.ModelID], sc.Features)
				if err != nil || want.Score != sc.Result.Score {
					t.Errorf("%s: score %d named model %s, which gives %d (%v)", req, sc.Result.Score, sc.ModelID, want.Score, err)
				}
				answers[w] = append(answers[w], answer{sc.ModelID, sc.Result.Score, req})
			}
		})
	}
	wg.Wait()
	<-done
	byReq := map[string]audit.Record{}
	for _, r := range log.recs {
		byReq[r.RequestID] = r
	}
	seen := map[string]int{}
	for _, as := range answers {
		for _, an := range as {
			r, ok := byReq[an.req]
			if !ok || r.Result.Model != an.id || r.Result.Score != an.score {
				t.Fatalf("%s answered %d by %s; its audit record %+v", an.req, an.score, an.id, r)
			}
			seen[an.id]++
		}
	}
	t.Logf("answers by model: %v", seen)
	if _, err := svc.SetModel(&model.Model{}); err == nil {
		t.Error("SetModel took an empty model")
	}
	if _, id := svc.Model(); models[id] == nil {
		t.Errorf("after a refused SetModel the service holds %q", id)
	}
}
