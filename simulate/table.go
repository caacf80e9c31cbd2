package simulate

import (
	"bufio"
	"encoding/csv"
	"io"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/opencredit/opencredit"
)

// A credit-application table: one row per applicant, the columns a lender
// holds at application time (bureau figures, the application form, the
// channel it came through) and whether the loan went bad within a year. It
// is the simulator's tabular dataset for accuracy tests against peer tools
// (docs/simulation.md, "The application table"): unlike the event
// population, whose features OpenCredit's own code computes, its structure
// was written once from how credit risk behaves and never fitted to any
// model — a latent fragility that every observed column only partly
// reveals, effects that bend (utilisation past the limit, recent
// delinquency), real interactions (the new instalment against the income,
// short tenure in precarious work, credit seeking while maxed out), string
// categories with many and rare levels, columns missing more often for the
// riskier (not at random), and pure-noise columns. No sensitive trait is a
// column, and none is simulated behind one.

// MaxTableRows bounds TableConfig.Rows.
const MaxTableRows = 10_000_000

// TableConfig says which table to write.
type TableConfig struct {
	Rows int    // 1 to MaxTableRows
	Seed uint64 // row i depends only on Seed and i
}

// TableColumn describes one column of the application table.
type TableColumn struct {
	Name string
	// Missing says when the value is empty, "" when never.
	Missing string
	Meaning string
}

// TableTarget is the target column: 1 when the loan went 90 days past due
// or was charged off within 12 months.
const TableTarget = "default"

// TableColumns are the table's columns in file order, the target last.
var TableColumns = []TableColumn{
	{"employment_type", "4 %, more often for the riskier", "salaried, self_employed, contract, part_time, seasonal, gig or unemployed"},
	{"employment_months", "when unemployed, else 5 % (12 % in all)", "months in the current work"},
	{"industry", "when unemployed", "the employer's industry: 36 levels, from 14 % of rows down to 0.4 %"},
	{"monthly_income", "11 %, more often for the riskier and the self-employed", "stated net monthly income"},
	{"housing", "2 %", "own, mortgage, rent, family or other"},
	{"months_at_address", "3 %", "months at the current address"},
	{"savings_balance", "45 %, more often for the riskier (not declared)", "declared savings"},
	{"months_on_file", "12 %: no credit file (thin file)", "months since the first credit account"},
	{"open_accounts", "no credit file", "open credit accounts"},
	{"revolving_utilisation", "no credit file or no revolving account", "revolving balance over limit; above 1 is over the limit"},
	{"existing_debt_to_income", "no credit file or no income stated", "monthly payments on existing debt over monthly income"},
	{"delinquencies_24m", "no credit file", "payments 30+ days late in the last 24 months"},
	{"months_since_delinquency", "never delinquent, or no credit file", "months since the last payment 30+ days late"},
	{"inquiries_6m", "5 %: no bureau pull of inquiries", "hard inquiries in the last 6 months"},
	{"loan_purpose", "", "what the loan is for: 14 levels, the rarest under 1 %"},
	{"loan_amount", "", "amount applied for"},
	{"term_months", "", "12, 24, 36, 48 or 60"},
	{"channel", "", "branch, online, phone or broker"},
	{"broker_code", "unless the channel is broker", "the introducing broker: up to 150 levels, half of them with 6 rows or fewer in 30,000"},
	{"application_weekday", "", "day of the week of the application (noise: no effect)"},
	{"form_version", "", "version of the application form, v1 to v9 (noise)"},
	{"noise_uniform", "", "uniform on [0, 1) (noise)"},
	{"noise_normal", "20 % at random", "standard normal (noise)"},
	{TableTarget, "", "1 = 90+ days past due or charged off within 12 months"},
}

// The categorical levels and their effects on the log-odds of default. The
// shares are drawn per row from the weights; the effects of industries and
// brokers come from a fixed stream (tableLevels), so every seed describes
// the same world and only the applicants change.
var (
	employmentTypes = []level{
		{"salaried", 0.56, 0}, {"self_employed", 0.12, 0.25}, {"contract", 0.10, 0.2},
		{"part_time", 0.09, 0.35}, {"seasonal", 0.03, 0.55}, {"gig", 0.05, 0.45}, {"unemployed", 0.05, 0.9},
	}
	housings = []level{
		{"own", 0.20, -0.15}, {"mortgage", 0.30, -0.2}, {"rent", 0.38, 0.1}, {"family", 0.10, 0.05}, {"other", 0.02, 0.4},
	}
	purposes = []level{
		{"debt_consolidation", 0.33, 0.15}, {"card_refinancing", 0.15, 0.05}, {"car", 0.10, -0.2},
		{"home_improvement", 0.09, -0.25}, {"major_purchase", 0.06, 0}, {"business", 0.05, 0.45},
		{"moving", 0.04, 0.2}, {"vacation", 0.04, 0.1}, {"education", 0.03, 0.1}, {"taxes", 0.03, 0.35},
		{"renewable_energy", 0.02, -0.35}, {"legal_fees", 0.008, 0.6}, {"startup", 0.007, 0.8}, {"other", 0.045, 0.2},
	}
	channels = []level{
		{"branch", 0.30, -0.15}, {"online", 0.45, 0.05}, {"phone", 0.10, 0.1}, {"broker", 0.15, 0},
	}
	weekdays    = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	industryIDs = []string{
		"retail", "manufacturing", "construction", "hospitality", "transport", "finance", "software",
		"education_sector", "public_administration", "logistics", "wholesale", "telecom", "insurance",
		"agriculture", "real_estate", "automotive", "energy", "utilities", "media", "legal_services",
		"cleaning", "security", "repair", "food_processing", "printing", "textiles", "chemicals",
		"mining", "aviation", "shipping", "forestry", "fishing", "arts", "sports", "beverages", "gaming",
	}
)

type level struct {
	name   string
	weight float64
	effect float64
}

// tableWorld holds the levels whose effects are drawn rather than written.
type tableWorld struct {
	industries, brokers []level
}

// tableLevels draws the industries' and brokers' shares (Zipf-like: the
// k-th level's weight is 1/k^s) and effects (normal) from a fixed stream.
func tableLevels() tableWorld {
	r := rand.New(rand.NewPCG(0x7461626c65, 0x776f726c64)) // "table", "world"
	var w tableWorld
	for k, name := range industryIDs {
		w.industries = append(w.industries, level{name, 1 / math.Pow(float64(k+1), 1.1), 0.3 * r.NormFloat64()})
	}
	for k := range 150 {
		w.brokers = append(w.brokers, level{"b" + strconv.Itoa(1000+k), 1 / math.Pow(float64(k+1), 1.3), 0.6 * r.NormFloat64()})
	}
	// The industries' effects rise with the seasonality of the work.
	for _, k := range []int{3, 13, 30, 31} { // hospitality, agriculture, shipping, fishing
		w.industries[k].effect += 0.4
	}
	return w
}

// draw picks a level by weight.
func draw(r *rand.Rand, levels []level) level {
	var sum float64
	for _, l := range levels {
		sum += l.weight
	}
	u := r.Float64() * sum
	for _, l := range levels {
		if u -= l.weight; u < 0 {
			return l
		}
	}
	return levels[len(levels)-1]
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// tableIntercept sets the bad rate near 12 % (measured: TestTable).
const tableIntercept = -3.35

// tableRow makes row i: its fields in TableColumns order ("" for missing).
// It returns the probability of default the outcome was drawn from, which
// knows the latent fragility that no column holds: the AUC of no model of
// the columns can beat its AUC but by chance.
func tableRow(w *tableWorld, seed uint64, i int, rec []string) (pd float64) {
	r := personRand(seed^0x6170706c6963616e, i) // "applican"
	bern := func(p float64) bool { return r.Float64() < p }
	num := func(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
	for k := range rec {
		rec[k] = ""
	}
	col := 0
	set := func(s string) { rec[col] = s; col++ }
	skip := func() { col++ }

	// The latent fragility: what a lender would like to know and sees only
	// through the columns below, each a noisy view of it.
	z := r.NormFloat64()
	logit := tableIntercept + 0.55*z

	// Work.
	emp := draw(r, employmentTypes)
	if z > 1 && bern(0.15) { // the fragile lose work more often
		emp = employmentTypes[6]
	}
	logit += emp.effect
	if bern(0.02 + 0.04*sigmoid(2*z)) {
		skip() // employment type not stated
		logit += 0.3
	} else {
		set(emp.name)
	}
	unemployed := emp.name == "unemployed"
	tenure := math.Exp(3.4 - 0.25*z + 0.9*r.NormFloat64())
	if emp.name == "seasonal" || emp.name == "gig" || emp.name == "contract" {
		tenure *= 0.5
	}
	tenure = math.Min(math.Round(tenure), 480)
	if !unemployed {
		// Short tenure hurts, and far more in precarious work (interaction).
		short := math.Exp(-tenure / 12)
		logit += 0.5 * short
		if emp.name != "salaried" {
			logit += 0.7 * short
		}
		if bern(0.05) {
			skip()
		} else {
			set(num(tenure, 0))
		}
	} else {
		skip()
	}
	if unemployed {
		skip()
	} else {
		ind := draw(r, w.industries)
		logit += ind.effect
		set(ind.name)
	}

	// Income: log-normal, lower for the fragile; missing more often for
	// them and for the self-employed (not at random).
	income := math.Exp(7.9 - 0.2*z + 0.5*r.NormFloat64())
	switch emp.name {
	case "part_time", "seasonal":
		income *= 0.6
	case "unemployed":
		income *= 0.35
	case "self_employed":
		income *= 1.15
	}
	income = math.Max(200, math.Round(income/10)*10)
	logit += -0.35 * math.Log(income/2500)
	pMissIncome := 0.06 + 0.12*sigmoid(1.5*z-1)
	if emp.name == "self_employed" {
		pMissIncome += 0.1
	}
	incomeStated := !bern(pMissIncome)
	if incomeStated {
		set(num(income, 0))
	} else {
		skip()
		logit += 0.2
	}

	// Housing and stability.
	h := draw(r, housings)
	if z > 0.8 && h.name != "rent" && bern(0.3) {
		h = housings[2]
	}
	logit += h.effect
	if bern(0.02) {
		skip()
	} else {
		set(h.name)
	}
	addr := math.Min(math.Round(math.Exp(3.3-0.2*z+1.0*r.NormFloat64())), 600)
	logit += 0.35 * math.Exp(-addr/18)
	if bern(0.03) {
		skip()
	} else {
		set(num(addr, 0))
	}
	savings := math.Max(0, math.Round(math.Exp(7.5-0.7*z+1.4*r.NormFloat64())-400))
	logit += -0.12 * math.Log1p(savings/500)
	if bern(0.3 + 0.3*sigmoid(1.5*z)) {
		skip()
	} else {
		set(num(savings, 0))
	}

	// The credit file.
	thin := bern(0.08 + 0.08*sigmoid(z))
	var util, inq float64
	if thin {
		logit += 0.45
		skip() // months_on_file
		skip() // open_accounts
		skip() // revolving_utilisation
		skip() // existing_debt_to_income
		skip() // delinquencies_24m
		skip() // months_since_delinquency
	} else {
		mof := math.Min(math.Round(math.Exp(4.2-0.15*z+0.7*r.NormFloat64())), 600)
		logit += -0.3 * math.Log1p(mof/12)
		set(num(mof, 0))
		open := float64(poisson(r, math.Exp(1.1+0.15*z+0.3*math.Log1p(mof/60))))
		logit += 0.04 * math.Max(0, open-6)
		set(num(open, 0))
		if open == 0 || bern(0.12) {
			skip() // no revolving account
		} else {
			util = 1.15 * sigmoid(-0.7+1.1*z+0.9*r.NormFloat64())
			// Bends: little effect under 30 %, steep past 80 %, a jump over
			// the limit.
			logit += 0.5*math.Max(0, util-0.3) + 2.2*math.Max(0, util-0.8)
			if util > 1 {
				logit += 0.5
			}
			set(num(util, 3))
		}
		dti := math.Max(0, 0.18+0.07*z+0.1*r.NormFloat64())
		logit += 1.5 * math.Max(0, dti-0.35)
		if incomeStated {
			set(num(dti, 3))
		} else {
			skip()
		}
		d24 := float64(poisson(r, math.Exp(-1.8+0.9*z)))
		logit += 0.4 * math.Min(d24, 4)
		set(num(d24, 0))
		switch {
		case d24 > 0:
			m := float64(r.IntN(24))
			logit += 0.7 * math.Exp(-m/6)
			set(num(m, 0))
		case bern(sigmoid(-1.2 + 0.8*z)):
			m := float64(24 + r.IntN(96))
			logit += 0.1
			set(num(m, 0))
		default:
			skip()
		}
	}
	inq = float64(poisson(r, math.Exp(-0.3+0.45*z)))
	logit += 0.35 * math.Log1p(inq)
	logit += 0.4 * util * math.Log1p(inq) // credit seeking while maxed out (interaction)
	if bern(0.05) {
		skip()
	} else {
		set(num(inq, 0))
	}

	// The loan applied for.
	p := draw(r, purposes)
	logit += p.effect
	set(p.name)
	amount := math.Max(500, math.Round(income*math.Exp(0.9+0.2*z+0.6*r.NormFloat64())/100)*100)
	if p.name == "car" || p.name == "home_improvement" || p.name == "business" {
		amount *= 1.8
	}
	set(num(amount, 0))
	terms := []float64{12, 24, 36, 48, 60}
	term := terms[min(4, max(0, int(amount/4000)+r.IntN(3)-1))]
	set(num(term, 0))
	// The new instalment against the income (an annuity at 12 % a year):
	// an interaction of amount, term and income no single column holds.
	rate := 0.01
	instal := amount * rate / (1 - math.Pow(1+rate, -term))
	logit += 2.5 * math.Max(0, instal/income-0.1)
	logit += 0.15 * math.Log(term/36)

	ch := draw(r, channels)
	logit += ch.effect
	set(ch.name)
	if ch.name == "broker" {
		b := draw(r, w.brokers)
		logit += b.effect
		set(b.name)
	} else {
		skip()
	}

	// Noise.
	set(weekdays[r.IntN(7)])
	set("v" + strconv.Itoa(1+r.IntN(9)))
	set(num(r.Float64(), 4))
	if v := r.NormFloat64(); bern(0.2) {
		skip()
	} else {
		set(num(v, 4))
	}

	// The outcome, with a shock nobody observes at application time.
	pd = (1-tableShock)*sigmoid(logit) + tableShock*sigmoid(logit+1.2)
	if bern(tableShock) {
		logit += 1.2
	}
	if bern(sigmoid(logit)) {
		set("1")
	} else {
		set("0")
	}
	return pd
}

// tableShock is the chance of a shock after the application (a job lost, an
// emergency) that raises the log-odds of default by 1.2.
const tableShock = 0.06

// poisson draws a Poisson count with mean lambda (Knuth's product of
// uniforms; lambda here is small).
func poisson(r *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// WriteTable writes the application table of c as CSV, with a header, to w:
// the same c gives the same bytes. It returns the number of bad rows.
func WriteTable(w io.Writer, c TableConfig) (bad int, err error) {
	if c.Rows < 1 || c.Rows > MaxTableRows {
		return 0, opencredit.Errorf(opencredit.EINVALID, "simulate: table rows %d is not in [1, %d]", c.Rows, MaxTableRows)
	}
	world := tableLevels()
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	rec := make([]string, len(TableColumns))
	for k, col := range TableColumns {
		rec[k] = col.Name
	}
	if err := cw.Write(rec); err != nil {
		return 0, err
	}
	for i := range c.Rows {
		tableRow(&world, c.Seed, i, rec)
		if rec[len(rec)-1] == "1" {
			bad++
		}
		if err := cw.Write(rec); err != nil {
			return 0, err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return 0, err
	}
	return bad, bw.Flush()
}
