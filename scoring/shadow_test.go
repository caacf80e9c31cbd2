package scoring_test

import (
	"context"
	"testing"

	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/monitor"
	"github.com/opencredit/opencredit/scoring"
)

// TestChallengerInShadow: with a challenger set, each pull is also scored
// by it and compared, while the answer and its audit record stay the
// champion's; clearing the challenger ends the comparison.
func TestChallengerInShadow(t *testing.T) {
	ctx := context.Background()
	champion := apitest.Model(t)
	challenger := *champion
	challenger.BasePoints += 30
	shadow := monitor.NewShadow([]int{600})
	log := &recordLog{}
	svc, err := scoring.New(scoring.Config{Store: fixtureStore(), Model: champion, Log: log, Shadow: shadow})
	if err != nil {
		t.Fatal(err)
	}
	champID, _ := model.ID(champion)
	chID, err := svc.SetChallenger(&challenger)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := svc.Score(ctx, scoring.Caller{Client: self, RequestID: "r1"}, apitest.Own, "subject_self_access")
	if err != nil {
		t.Fatal(err)
	}
	if sc.ModelID != champID || log.recs[len(log.recs)-1].Result.Model != champID || log.recs[len(log.recs)-1].Result.Score != sc.Result.Score {
		t.Fatalf("the answer or its record is not the champion's: %s, %+v", sc.ModelID, log.recs[len(log.recs)-1])
	}
	r := shadow.Report()
	if r == nil || r.Champion != champID || r.Challenger != chID || r.Scores != 1 || r.MeanDiff() != 30 {
		t.Fatalf("comparison %+v, want one request, the challenger 30 points above", r)
	}
	if _, err := svc.SetChallenger(nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Score(ctx, scoring.Caller{Client: self, RequestID: "r2"}, apitest.Own, "subject_self_access"); err != nil {
		t.Fatal(err)
	}
	if shadow.Report().Scores != 1 {
		t.Error("the comparison went on after the challenger was cleared")
	}
	noShadow, _ := scoring.New(scoring.Config{Store: fixtureStore(), Model: champion, Log: log})
	if _, err := noShadow.SetChallenger(&challenger); err == nil {
		t.Error("a challenger was taken with nowhere to compare it")
	}
}
