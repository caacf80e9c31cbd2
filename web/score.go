package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scoring"
)

// HistoryMonths is how many month ends the score's history shows.
const HistoryMonths = 12

type scorePage struct {
	Score       int
	Band        string
	BandClass   string
	Min, Max    int
	Sentence    string // the score in one sentence
	BandRange   string // "700 to 950"
	ScoredOn    string
	Dial        template.HTML
	Bands       []bandRow
	Dimensions  []dimensionRow
	Radar       template.HTML
	RadarText   string
	Reasons     []reasonRow
	Helping     []string
	History     []historyRow
	Line        template.HTML
	HistoryText string
	WhatIf      whatIfView
	ModelID     string
}

type bandRow struct {
	Name, Range, Class string
	Yours              bool
}

type dimensionRow struct {
	Name, Meaning, Sentence string
	Score                   int
	Earned, Max             int
}

type reasonRow struct {
	Text        string // the reason's statement, "Share of ... : 50% to under 70%"
	Cost        string // "This costs you 34 points against the best"
	Improvement string // what would improve it, or ""
}

type historyRow struct {
	Date  string
	Score int
	Band  string
}

// handleScore shows the person's score, its dimensions, reasons with
// improvements, history and the what-if form. The score and its history
// come from the scoring use case, which records both reads.
func (s *Server) handleScore(w http.ResponseWriter, r *http.Request, v visit) {
	ctx := r.Context()
	subject := v.client.Subject
	sc, err := s.cfg.Scoring.Score(ctx, v.caller, subject, opencredit.PurposeSubjectSelfAccess)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	hist, err := s.cfg.Scoring.History(ctx, v.caller, subject, scoring.MonthEnds(s.cfg.Now(), HistoryMonths))
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	m, id := s.cfg.Scoring.Model()
	if id != sc.ModelID {
		// The model was swapped (scoring.Service.SetModel) between the pull
		// and now: reasons, improvements and the what-if must come from the
		// model that scored, so the page is asked again, under the new one.
		http.Redirect(w, r, "/score", http.StatusSeeOther)
		return
	}
	sp := buildScorePage(m, sc, hist, s.cfg.Now())
	sp.ModelID = id
	wv, err := s.whatIfView(r, v, m, sc)
	if err != nil {
		s.failed(w, r, &v, err)
		return
	}
	sp.WhatIf = wv
	p := v.page("Your credit score", "score", sp)
	if wv.Error != "" {
		p.Errors = []fieldError{{Field: wv.ErrorField, Message: wv.Error}}
	}
	s.render(w, r, http.StatusOK, "score.html", p)
}

// buildScorePage turns a score and its history into sentences, tables and
// charts.
func buildScorePage(m *model.Model, sc scoring.Score, hist []scoring.HistoryPoint, now time.Time) scorePage {
	lo, hi := m.Scaling.Min, m.Scaling.Max
	bands := m.Bands
	if len(bands) == 0 {
		bands = opencredit.DefaultBands()
	}
	sp := scorePage{Score: sc.Result.Score, Band: sc.Band, BandClass: bandClass(bands, sc.Band), Min: lo, Max: hi}
	for i, b := range bands {
		top := hi
		if i+1 < len(bands) {
			top = bands[i+1].Min - 1
		}
		row := bandRow{Name: b.Name, Range: fmt.Sprintf("%d to %d", max(b.Min, lo), top), Class: fmt.Sprintf("band-%d", bandIndex(bands, i)), Yours: b.Name == sc.Band}
		if row.Yours {
			sp.BandRange = row.Range
		}
		sp.Bands = append(sp.Bands, row)
	}
	sp.Sentence = fmt.Sprintf("Your score is %d, which is %s. Scores run from %d to %d; %s is %s.",
		sc.Result.Score, article(sc.Band), lo, hi, sc.Band, sp.BandRange)
	sp.Dial = dialSVG(sc.Result.Score, sc.Band, lo, hi, bands,
		fmt.Sprintf("Your score: %d, %s", sc.Result.Score, sc.Band),
		fmt.Sprintf("A dial from %d to %d, coloured by band from poor to excellent, with a marker at %d in the %s band (%s).", lo, hi, sc.Result.Score, sc.Band, sp.BandRange))

	var radar []radarPoint
	for _, d := range sc.Dimensions {
		name := dimensionName(d.Dimension)
		score := int(d.Score + 0.5)
		sp.Dimensions = append(sp.Dimensions, dimensionRow{Name: name, Meaning: dimensionMeaning[d.Dimension], Score: score, Earned: d.Earned, Max: d.Max,
			Sentence: fmt.Sprintf("%s: %d out of 100. This part looks at %s; you earned %d of the %d points it can give.",
				name, score, dimensionMeaning[d.Dimension], d.Earned, d.Max)})
		short := dimensionShort[d.Dimension]
		if short == "" {
			short = name
		}
		radar = append(radar, radarPoint{Label: short, Value: d.Score})
	}
	if len(radar) >= 3 {
		var parts []string
		for _, d := range sp.Dimensions {
			parts = append(parts, fmt.Sprintf("%s %d", d.Name, d.Score))
		}
		sp.RadarText = "Your five parts, each out of 100: " + joinAnd(parts) + "."
		sp.Radar = radarSVG(radar, "Your score's parts, each out of 100", sp.RadarText)
	}

	imps := map[string]model.Improvement{}
	for _, im := range m.ImprovementsToward(sc.Result, advised(sc.Features)) {
		imps[im.Code] = im
	}
	reasonFeature := map[string]bool{}
	for _, rs := range sc.Reasons {
		row := reasonRow{Text: rs.Text}
		if j := featureIndex(m, rs.Feature); j >= 0 {
			row.Text = featureLabel(&m.Features[j]) + ": " + yours(m, sc.Features, rs.Feature)
		} else if text, ok := pairYours(m, sc.Features, rs.Feature); ok {
			row.Text = text
		}
		if rs.PointsLost > 0 {
			row.Cost = fmt.Sprintf("This costs you %s against the best possible.", plural(rs.PointsLost, "point", "points"))
		}
		if im, ok := imps[rs.Code]; ok {
			if j := featureIndex(m, im.Feature); j >= 0 {
				row.Improvement = improvementSentence(&m.Features[j], im, sc.Features) + "."
			}
		}
		reasonFeature[rs.Feature] = true
		sp.Reasons = append(sp.Reasons, row)
	}
	// What's helping: the features already at their best points.
	for j := range m.Features {
		f := &m.Features[j]
		if j >= len(sc.Result.Bins) || reasonFeature[f.Name] || f.Bins[sc.Result.Bins[j]].Missing {
			continue
		}
		if sc.Result.Points[j] == f.MaxPoints() && f.MaxPoints() > f.MinPoints() {
			sp.Helping = append(sp.Helping, featureLabel(f)+": "+yours(m, sc.Features, f.Name))
		}
	}

	var line []linePoint
	for _, h := range hist {
		sp.History = append(sp.History, historyRow{Date: humanDate(h.AsOf), Score: h.Score, Band: h.Band})
		line = append(line, linePoint{Label: shortDate(h.AsOf), Value: h.Score})
	}
	if len(hist) > 0 {
		first, last := hist[0], hist[len(hist)-1]
		change := "stayed at"
		switch {
		case last.Score > first.Score:
			change = fmt.Sprintf("rose by %s to", plural(last.Score-first.Score, "point", "points"))
		case last.Score < first.Score:
			change = fmt.Sprintf("fell by %s to", plural(first.Score-last.Score, "point", "points"))
		}
		sp.HistoryText = fmt.Sprintf("From %s to %s your score %s %d. Each point is the score your file, as it is held today, gives as of the end of that month.",
			humanDate(first.AsOf), humanDate(last.AsOf), change, last.Score)
		if first.Score == last.Score {
			sp.HistoryText = fmt.Sprintf("From %s to %s your score stayed at %d. Each point is the score your file, as it is held today, gives as of the end of that month.",
				humanDate(first.AsOf), humanDate(last.AsOf), last.Score)
		}
		sp.Line = lineSVG(line, lo, hi, "Your score at the end of each of the last "+strconv.Itoa(len(hist))+" months", sp.HistoryText)
	}
	sp.ScoredOn = humanDate(now)
	return sp
}

// article puts "a" or "an" before a band name for a sentence: "a good
// score", "an excellent score".
func article(band string) string {
	if band == "" {
		return "a score"
	}
	switch band[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + band + " score"
	}
	return "a " + band + " score"
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	out := ""
	for i, p := range parts[:len(parts)-1] {
		if i > 0 {
			out += ", "
		}
		out += p
	}
	return out + " and " + parts[len(parts)-1]
}

func featureIndex(m *model.Model, name string) int {
	for j := range m.Features {
		if m.Features[j].Name == name {
			return j
		}
	}
	return -1
}

// yours writes the person's value of a feature of m, "60%", or that there
// is none; a derived characteristic is computed from the features it takes.
// pairYours says a pair's reason with the person's own two values
// ("Missed payments in the last 12 months: 1; Time on file: 20 months")
// rather than the cell's ranges, which read "0 or less" for a count; ok is
// false when pair names no pair of m.
func pairYours(m *model.Model, fv opencredit.FeatureVector, pair string) (string, bool) {
	for i := range m.Pairs {
		p := &m.Pairs[i]
		if p.Name() != pair {
			continue
		}
		var parts []string
		for _, name := range p.Features {
			j := featureIndex(m, name)
			if j < 0 {
				return "", false
			}
			parts = append(parts, featureLabel(&m.Features[j])+": "+yours(m, fv, name))
		}
		return strings.Join(parts, "; "), true
	}
	return "", false
}

func yours(m *model.Model, fv opencredit.FeatureVector, feature string) string {
	v := m.ValueOf(feature, func(name string) model.Value {
		if x, ok := fv.Values[name]; ok {
			return model.Num(x)
		}
		return model.MissingValue()
	})
	if v.Missing {
		return "no data yet"
	}
	return featureValue(feature, v.Num)
}
