package web

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/monitor"
)

// The monitoring page: the live drift of the model in service (package
// monitor's Report, the same counts /metrics exposes), with an alert when
// an index reaches watch or act, and the shadow comparison with a
// challenger. The monitor counts in the memory of this server, since it
// started: each replica shows its own share of the traffic.

// levelWords are an index's level as the page writes it, in words (the
// colour of the badge only repeats them).
var levelWords = map[string]string{"": "Stable", "watch": "Watch", "act": "Act"}

type driftCell struct {
	Index string // "0.312", or "" when there is none
	Level string // levelWords, when there is an index
	Class string // the badge's class: stable, watch, act
	Why   string // why there is no index
}

type driftRow struct {
	Label, Name string // the feature's label and name; the score's row has no Name
	Day, Week   driftCell
}

type driftAlert struct {
	Level, Class, Text string
}

type swapRow struct {
	Cutoff                       int
	ChampionOnly, ChallengerOnly string
}

type shadowView struct {
	Champion, Challenger string
	Scores               string
	MeanDiff, MeanAbs    string
	Sentence             string
	Swaps                []swapRow
}

type monitoringPage struct {
	Monitored      bool // the server has a monitor
	Model          string
	DayRows        string
	WeekRows       string
	Rows           []driftRow
	Alerts         []driftAlert
	Worst          string // the worst level's word, when there is an alert
	WorstClass     string
	ShadowWatched  bool // the server can run a challenger
	Shadow         *shadowView
	MinRows        int
	Watch, Act     string
	ServingChanged bool // the model in service has not scored since it changed
}

var windowWords = map[string]string{monitor.Day: "today", monitor.Week: "over the last 7 days"}

// handleOpsMonitoring shows the drift and the shadow comparison. It reads
// counts only, no person's data; the read is recorded as a models read.
func (s *Server) handleOpsMonitoring(w http.ResponseWriter, r *http.Request, v visit) {
	p := monitoringPage{Monitored: s.cfg.Drift != nil, ShadowWatched: s.cfg.Shadow != nil, MinRows: monitor.MinRows,
		Watch: strconv.FormatFloat(monitor.Watch, 'f', 2, 64), Act: strconv.FormatFloat(monitor.Act, 'f', 2, 64)}
	m, serving := s.cfg.Scoring.Model()
	p.Model = serving
	var ds []monitor.Drift
	if s.cfg.Drift != nil {
		ds = s.cfg.Drift.Report()
	}
	if len(ds) == 2 {
		if ds[0].Model != serving {
			// Counts of the model replaced, until the new one scores.
			p.ServingChanged, p.Model = true, ds[0].Model
		}
		day, week := ds[0], ds[1]
		p.DayRows, p.WeekRows = plural(day.Rows, "score", "scores"), plural(week.Rows, "score", "scores")
		p.Rows = append(p.Rows, driftRow{Label: "The score",
			Day:  cellOf(day.ScorePSI, day.Rows, "no development score distribution is recorded in the model"),
			Week: cellOf(week.ScorePSI, week.Rows, "no development score distribution is recorded in the model")})
		var names []string
		if !p.ServingChanged {
			for _, f := range m.Features {
				names = append(names, f.Name)
			}
		} else {
			for name := range day.CSI {
				names = append(names, name)
			}
			slices.Sort(names)
		}
		for _, name := range names {
			p.Rows = append(p.Rows, driftRow{Label: labelOf(name), Name: name,
				Day: cellOf(day.CSI[name], day.Rows, ""), Week: cellOf(week.CSI[name], week.Rows, "")})
		}
		p.Alerts = alertsOf(p.Rows, ds)
		if len(p.Alerts) > 0 {
			p.Worst, p.WorstClass = p.Alerts[0].Level, p.Alerts[0].Class
		}
	}
	if s.cfg.Shadow != nil {
		if c := s.cfg.Shadow.Report(); c != nil {
			p.Shadow = shadowViewOf(c)
		}
	}
	if err := s.record(r, v, actionModelsRead, audit.Result{Model: p.Model}); err != nil {
		s.failed(w, r, &v, err)
		return
	}
	s.render(w, r, http.StatusOK, "ops_monitoring.html", v.page("Monitoring", "ops-monitoring", p))
}

// cellOf is one index with its level; rows is the window's count of
// scores, and noDev why a NaN index with enough rows has none.
func cellOf(index float64, rows int, noDev string) driftCell {
	if math.IsNaN(index) {
		why := "too few scores yet (fewer than " + strconv.Itoa(monitor.MinRows) + ")"
		if rows >= monitor.MinRows && noDev != "" {
			why = noDev
		}
		return driftCell{Why: why}
	}
	l := monitor.Level(index)
	class := l
	if class == "" {
		class = "stable"
	}
	return driftCell{Index: strconv.FormatFloat(index, 'f', 3, 64), Level: levelWords[l], Class: class}
}

// alertsOf lists each index at watch or act in one window or both, once,
// at its worse level, the acts first: "Act: the score, 0.312 today and
// 0.274 over the last 7 days".
func alertsOf(rows []driftRow, ds []monitor.Drift) []driftAlert {
	var acts, watches []driftAlert
	for _, row := range rows {
		what := "the score"
		if row.Name != "" {
			what = "“" + row.Label + "”"
		}
		var parts []string
		worst := ""
		for i, c := range []driftCell{row.Day, row.Week} {
			if c.Class != "watch" && c.Class != "act" {
				continue
			}
			parts = append(parts, c.Index+" "+windowWords[ds[i].Window])
			if worst != "act" {
				worst = c.Class
			}
		}
		if worst == "" {
			continue
		}
		a := driftAlert{Level: levelWords[worst], Class: worst, Text: levelWords[worst] + ": " + what + ", " + strings.Join(parts, " and ")}
		if worst == "act" {
			acts = append(acts, a)
		} else {
			watches = append(watches, a)
		}
	}
	return append(acts, watches...)
}

func shadowViewOf(c *monitor.Comparison) *shadowView {
	sv := &shadowView{Champion: c.Champion, Challenger: c.Challenger, Scores: plural(c.Scores, "request", "requests"),
		MeanDiff: signedPoints(c.MeanDiff()), MeanAbs: strconv.FormatFloat(c.MeanAbsDiff(), 'f', 1, 64) + " points"}
	switch d := c.MeanDiff(); {
	case d > 0.05:
		sv.Sentence = "The challenger scores people higher than the model in service, on average."
	case d < -0.05:
		sv.Sentence = "The challenger scores people lower than the model in service, on average."
	default:
		sv.Sentence = "On average the two models score people alike."
	}
	for _, sw := range c.Swaps {
		sv.Swaps = append(sv.Swaps, swapRow{Cutoff: sw.Cutoff, ChampionOnly: countShare(sw.ChampionOnly, c.Scores), ChallengerOnly: countShare(sw.ChallengerOnly, c.Scores)})
	}
	return sv
}

// signedPoints writes a mean difference of points with its sign and one
// decimal: "+3.8 points", "−12.0 points".
func signedPoints(x float64) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', 1, 64) + " points"
	switch {
	case x >= 0.05:
		return "+" + s
	case x <= -0.05:
		return "−" + s
	}
	return "0.0 points"
}

// countShare writes n of total with its share: "12 (3%)".
func countShare(n, total int) string {
	if total == 0 {
		return "0"
	}
	return groupDigits(float64(n), 0) + " (" + percent(float64(n)/float64(total)) + ")"
}
