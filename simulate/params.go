package simulate

// The model's parameters. docs/simulation.md explains the model and gives
// the source of every calibrated figure; "tuned" marks the parameters chosen so that the
// population's measured figures (calibration_test.go) land on their
// targets, rather than taken from a publication.
const (
	// burnIn is how many months each life runs, unseen, before the period,
	// so that the period starts from a settled state: people already in a
	// spell of unemployment, with savings spent, or behind on a payment.
	burnIn = 12

	// Income: log-normal, median 1,600 a month (EU-SILC 2022 median
	// equivalised disposable income, 18,706 PPS a year ≈ 1,560 a month),
	// σ 0.54, the log-normal σ of a Gini coefficient of 0.296 (EU 2022):
	// G = 2Φ(σ/√2) − 1.
	medianIncome = 1600.0
	incomeSigma  = 0.54
	// A share of people have irregular income (self-employed, gig work:
	// self-employment is about 14 % of EU employment, approximately), whose
	// monthly income varies with σ irregularVol instead of regularVol.
	irregularShare = 0.14
	irregularVol   = 0.20
	regularVol     = 0.04

	// Job loss: a monthly hazard (BLS JOLTS: layoffs and discharges run at
	// about 1 % of employment a month) times the person's exposure; the
	// spell lasts a geometric number of months with mean spellMean (median
	// 3; BLS CPS: median unemployment duration about 9–10 weeks, mean
	// about 15–20 in ordinary years) and income falls to a replacement
	// rate drawn from [replaceMin, replaceMax] (OECD: net replacement rates
	// of unemployment benefits of roughly 40–70 % in the first months;
	// approximate).
	jobLossHazard = 0.009
	spellMean     = 4.0
	replaceMin    = 0.45
	replaceMax    = 0.75
	// exposureSigma is the spread of the log exposure to shocks, and
	// exposureIncome its correlation with log income (lower-paid jobs are
	// less secure; tuned).
	exposureSigma  = 0.6
	exposureIncome = -0.4

	// Emergency expenses: a monthly hazard giving about 23 % a year (Fed
	// SHED 2022: 23 % of adults had a major unexpected medical expense in
	// the prior 12 months, median $1,000–1,999), of a size log-normal with
	// median emergencyMedian months of income.
	emergencyHazard = 0.022
	emergencyMedian = 0.45
	emergencySigma  = 0.7

	// Liquid savings: each person holds a buffer around a personal target,
	// log-normal around bufferMedian months of income, higher with
	// discipline and income (tuned so that about a third hold less than a
	// tenth of a month's income — Fed SHED 2022: 63 % would cover a $400
	// emergency with cash or its equivalent, and $400 is about a tenth of
	// a month's income).
	bufferMedian = 0.15
	bufferDisc   = 1.5 // log-buffer per unit of discipline
	bufferIncome = 0.4 // log-buffer per σ of log income
	bufferSigma  = 0.8
	// Above the target, a share of the excess is spent each month.
	spendExcess = 0.3
	// The saving rate out of income in an ordinary month (tuned; the EU
	// household saving rate is around 12–14 % of disposable income, most of
	// it in pensions and housing rather than in liquid buffers).
	saveBase = -0.01
	saveDisc = 0.12
	saveSD   = 0.02
	// Willingness (all tuned): a payment is forgotten with probability
	// forgetBase + forgetDisc·(1 − discipline)³, paid a few days late with
	// lateBase + lateDisc·(1 − discipline)², and a credit payment that
	// would eat into the money kept for spending is skipped with
	// skipDisc·(1 − discipline)².
	forgetBase = 0.0015
	forgetDisc = 0.012
	lateBase   = 0.005
	lateDisc   = 0.06
	skipDisc   = 0.2
	// Revolvers: people below a discipline of revolveBelow keep a balance
	// on their cards, up to carryMax·(1 − discipline/revolveBelow) of the
	// limit, and pay down to it; the others pay in full. Under strain
	// anyone pays only the minimum. (About half to 60 % of cardholders
	// carry a balance: SCF-based industry figures; CFPB, The Consumer
	// Credit Card Market, 2017.)
	revolveBelow = 0.5
	carryMax     = 0.6

	// Life events (illness, separation, a business failing): a monthly
	// hazard times exposure, a lasting cut of income and a one-off cost.
	// Tuned, so that defaults also come to people with clean records.
	lifeHazard = 0.0045
	lifeCutMin = 0.15
	lifeCutMax = 0.40
	lifeCost   = 1.5 // months of income, median

	// Consumption adapts to obligations: each month it moves a share
	// adaptBase + adaptDisc·discipline of the way to the sustainable level
	// (tuned), never below minLiving of income.
	adaptBase = 0.15
	adaptDisc = 0.35
	minLiving = 0.35

	// essentialShare of consumption cannot be cut; the rest is
	// discretionary and is cut first when money runs short.
	essentialShare = 0.70
	// behindSqueeze is the share of essential spending kept while behind
	// on a payment (tuned).
	behindSqueeze = 0.85

	// Thin files: people with no credit account, more likely at low
	// income (CFPB 2015, "Data Point: Credit Invisibles": 11 % of adults
	// have no credit record and 8.3 % an unscored one, 30 % and 15 % in
	// low-income neighbourhoods; the CFPB's 2025 revision: 2.7 % and 9.8 %
	// in 2020; Fed SHED 2023: 18 % of adults have no credit card). Tuned
	// so that about 15 % hold no credit account.
	thinIntercept = -1.85
	thinIncome    = -0.8
	graduate      = 0.004 // monthly chance that a thin file applies for a first card

	// Audit-only group: P(B) = logistic(groupIntercept + groupIncome·z),
	// z the standardised log income.
	groupIntercept = -0.3
	groupIncome    = -1.2

	// Prices.
	cardAPR       = 0.20 // Fed G.19: interest rates on credit card plans about 21–22 % in 2023 (approximate)
	loanAPR       = 0.085
	mortgageAPR   = 0.036
	lateFee       = 25.0
	minDueShare   = 0.03 // minimum payment: 3 % of the balance, at least minDueFloor
	minDueFloor   = 25.0
	maxCreditAccs = 8 // open credit accounts a lender still adds to

	// Charge-off when the oldest unpaid payment is this many months past
	// due: 180 days for open-end (revolving) credit and 120 for closed-end
	// (FFIEC Uniform Retail Credit Classification and Account Management
	// Policy: FDIC FIL-17-99, 1999; 65 FR 36903, 2000). Mortgages follow
	// the open-end rule here, as a stand-in for foreclosure.
	chargeOffOpen   = 6
	chargeOffClosed = 4
	// A bill goes to collection (and the service is cut) this many months
	// past due; rent ends in eviction a month sooner.
	billCollection = 3
	rentEviction   = 2
)
