// Package simulate makes a synthetic population whose payment behaviour
// comes from a documented latent generative model, written as OpenCredit
// events: for the demo, end-to-end tests and scale runs.
//
// Unlike event.Generator, which draws each payment's fate from a fixed
// per-person risk, here people have incomes, savings, obligations and
// shocks, and a payment is missed when the money is not there (ability) or
// the person does not make it (willingness). Defaults come out of that
// process; no rule is ever written on the features, which only observe it.
//
// # Use
//
//	s, err := simulate.New(simulate.Config{Subjects: 10_000, Months: 24, Seed: 1,
//		End: simulate.DefaultEnd(time.Now())})
//	err = s.Run(ctx, 0, func(p simulate.Person) error {
//		// register p.ID and p.Consents, then import p.Events (p.AppendNDJSON
//		// writes them as NDJSON, byte for byte as encoding/json would)
//	})
//
// The period is [Start, End), End − Months months to End, whole UTC
// months. Person i depends only on the seed, i and the period — not on how
// many people there are, nor on AuditGroup — so people are made in
// parallel and in any order: Person(i) makes one, Run makes all with a
// worker per core and hands them over in index order through a buffer of
// a few people per worker. Nothing holds the population: memory stays flat
// however many people there are.
//
// A person's events are in time order, with ids "<subject>-e1" onwards
// (so unique per source) and subject ids "sim-0000001" onwards. Their
// sources are the furnishers of FurnisherIDs, each playing one role:
// banks (cards, credit lines, loans, mortgages, hard inquiries, account
// reviews), BNPL providers (plans, soft inquiries), utilities, telecoms,
// landlords, rental services (rentals, deposit-waiver inquiries), a
// verifier (identity and income), collection agencies and a court
// registry. Person.Consents holds the furnishing consent each of those
// sources needs, granted at the start of the day of its first event.
//
// # No sensitive traits
//
// No sex, age, nationality, marital status, health or any other trait the
// brief protects is generated, and no event carries one: events hold only
// payment facts. With Config.AuditGroup each person gets a synthetic
// audit-only label, "A" or "B", with P(B) = logistic(−0.3 − 1.2·z) where z
// is the person's standardised log income (about 44 % are B, with lower
// incomes), so that a fairness report has a difference to find. The label
// is on Person only; it is drawn whether or not AuditGroup is set, so
// setting it changes no event (TestDeterminism).
//
// # The latent model
//
// Each person draws, from a PCG stream seeded by the seed and the index:
//
//	trait          distribution                                         drives
//	income         log-normal, median 1,600 a month, σ 0.54             every amount: limits, loans, rent, bills
//	volatility     σ of monthly income: 0.04, or 0.20 for 14 %          short months
//	               (irregular earners)
//	discipline d   uniform on (0, 1), independent of income              savings, revolving, forgetting, skipping,
//	                                                                     adapting, credit seeking, rentals returned late
//	exposure       log-normal, mean 1, σ 0.6, correlation −0.4           the hazards of job loss, life events and
//	               with log income                                       emergencies
//	saving rate    −0.01 + 0.12·d + N(0, 0.02²) of income                how fast buffers rebuild; negative: over-spending
//	buffer target  0.15·exp(1.5(d − ½) + 0.4·z + 0.8·N) months of income the liquid savings a person holds
//	thin file      P = logistic(−1.85 − 0.8·z): no credit account       thin files: bills and rentals only
//
// and a product mix. Thick files hold one to three cards (5 % none), a
// credit line (20 %), a loan (30 %), a mortgage (12 % + 30 % × income
// percentile), and some are BNPL users; limits and principals scale with
// income (cards 0.6–2.2 months of income). Renters without a mortgage
// (65 %) pay rent of about 28 % of income (log-normal, 10–60 %); 85 % have a
// utility bill (seasonal) and 92 % a telecom bill. Lives start 12 months
// before the period (a burn-in whose events are dropped), so that the
// period opens on a settled population: some out of work, some with
// savings spent, some already behind. Accounts open at the start are
// reported by their furnishers on the first day of the period (as when a
// furnisher joins the platform), so account-age features mean little in
// the first year.
//
// Every month, in this order:
//
//  1. Shocks. Job loss (hazard 0.9 % × exposure; the spell lasts a
//     geometric number of months with mean 4; income falls to 45–75 %),
//     a life event (0.45 % × exposure: illness, separation, a business
//     failing — income cut by 15–40 % for good and a one-off cost of
//     about 1.5 months), an emergency expense (2.2 % × exposure, median
//     0.45 months of income). Income varies with the person's volatility.
//  2. Essential spending (70 % of consumption, and the emergency): a share
//     by card, the rest from the money at hand; when that runs out it is
//     borrowed on the cards or done without. Someone already behind on a
//     payment squeezes essentials to 85 % and discretionary spending to
//     (1 − d) of normal.
//  3. Statements of every credit account (balance with interest and
//     purchases, limit, minimum due 3 % or 25, days past due), then
//     payments in order of priority — housing (rent, mortgage), utilities,
//     telecom, loans, cards and lines, BNPL — while the money lasts. A
//     payment is forgotten with probability 0.15 % + 1.2 %·(1 − d)³; a
//     credit payment that would eat into the money kept for spending is
//     skipped with probability 0.2·(1 − d)²; otherwise the person pays as
//     many of the oldest unpaid payments as the money covers (contractual
//     delinquency: paying one a month while one behind stays one behind;
//     paying more catches up). Revolvers (d < ½) pay cards down only to a
//     balance they are happy to carry, up to 60 % of the limit for the
//     least disciplined; the others pay in full. A few payments are a few
//     days late (0.5 % + 6 %·(1 − d)²).
//  4. Delinquency. An unpaid payment is reported as payment.missed 30, 60,
//     90, … days past due at each later due date, statements show the
//     days since the oldest unpaid due date, cards are frozen from 60
//     days and sometimes closed by the lender at 90, and the account is
//     charged off at 180 days (cards, lines, mortgages) or 120 (loans,
//     BNPL) — the FFIEC charge-off policy — and the debt usually (75 %)
//     passed to a collection agency within a month. Unpaid bills go to
//     collection at 90 days (the service is cut and later reconnected
//     under a new account), unpaid rent ends in eviction at 60 days.
//     Courts turn some old collections into judgments, and someone
//     overwhelmed by defaulted debt may file for bankruptcy.
//  5. Credit seeking. Routine applications (cards, loans, credit lines,
//     mortgages for renters with savings) at low monthly rates; under
//     strain (short this month, or cards over 85 % full) the person
//     applies far more often — 20 %·(1.3 − d) a month, for a loan that pays
//     out cash or a card, trying a second bank when declined. Every
//     application is a hard inquiry by the bank, often after an income
//     verification; lenders decline more often when the applicant is
//     behind, recently charged off, bankrupt, out of work, near their
//     limits, has applied a lot, or would owe more than half of their
//     income in instalments. BNPL users buy on a plan now and then (a soft
//     inquiry, four monthly instalments). Banks review accounts (soft
//     inquiries) and raise limits of accounts in good standing.
//  6. Discretionary spending (30 % of consumption, 40 % of that while out
//     of work): by card or cash; when the money runs out the person
//     borrows it on the cards with probability (1 − d)², else cuts it.
//  7. Rentals (returned on time, a few days late, or overdue), identity
//     verifications (most people early in the period, upgrades later, at
//     levels 1–3) and income verifications.
//  8. What is left is saved; above the buffer target, 30 % of the excess is
//     spent. Consumption moves 15 % + 35 %·d of the way to what the
//     obligations leave room for, so that a new loan is eventually paid
//     for by spending less — slowly by the undisciplined.
//
// So the features see the process without being it: past delinquency
// reflects low discipline and past shocks; utilisation rises with
// revolving habits and with strain; hard inquiries rise under strain;
// debt-to-income with obligations; bills paid late with short months. And
// a default needs a cause the features cannot see coming: a job loss, a
// life event, an emergency on a thin buffer.
//
// # Calibration
//
// TestCalibration measures 6,000 people over 24 months (seed 1) against
// these figures; the ranges allow for sampling and seed-to-seed error and
// for how loosely each source matches (go test ./simulate/ -run
// TestCalibration -v prints the table):
//
//	| figure                                              | measured | test range  | target and source |
//	|-----------------------------------------------------|---------:|-------------|-------------------|
//	| thin file: no credit account by month 12            |   15.2 % | 12–19 %     | 19.3 % of US adults credit invisible (11.0 %) or unscored (8.3 %): CFPB, "Data Point: Credit Invisibles", 2015; 12.5 % (2.7 % + 9.8 %) in 2020 after the CFPB's 2025 revision |
//	| 12-month bad rate (features.Adverse, months 12→24)  |    7.9 % | 5–10 %      | 5–10 %, the requirement |
//	| mean revolving utilisation                          |   29.0 % | 24–34 %     | average utilisation 28–29 %: Experian, Consumer Credit Review, 2023 (approximate: as reported in the press) |
//	| median revolving utilisation                        |   19.0 % | 10 % – mean | skewed: below the mean (no published median used) |
//	| revolvers using ≥ 50 % of their limits              |   20.2 % | 14–28 %     | more than 16 % of the population (≈ 20 % of cardholders): Experian national credit card study, about 2006 (approximate) |
//	| has a credit card                                   |   82.7 % | 77–87 %     | 82 % of adults: Fed, Economic Well-Being of U.S. Households (SHED) 2023 |
//	| used BNPL in 12 months                              |   12.2 % | 8–20 %      | 14 % of adults: Fed SHED 2023 |
//	| liquid savings under 10 % of monthly income (latent)|   32.2 % | 25–45 %     | 37 % would not cover a $400 emergency with cash: Fed SHED 2022 ($400 ≈ a tenth of a month's income: a proxy) |
//	| at least one hard inquiry in 12 months              |   27.6 % | 20–45 %     | 36 % of adults applied for credit: Fed SHED 2023 (applications of any kind: a proxy) |
//
// The model's inputs and where they come from (the others, marked tuned
// in params.go, were chosen so that the figures above come out right):
//
//	| input                              | value                         | source |
//	|------------------------------------|-------------------------------|--------|
//	| median monthly income              | 1,600                         | EU-SILC 2022: EU median equivalised disposable income 18,706 PPS a year ≈ 1,560 a month (Eurostat) |
//	| log-income σ                       | 0.54                          | EU Gini coefficient 29.6 (2022), through G = 2Φ(σ/√2) − 1 for a log-normal |
//	| irregular earners                  | 14 %                          | self-employment is about 14 % of EU employment (Eurostat; approximate) |
//	| job loss                           | 0.9 % a month × exposure      | BLS JOLTS: layoffs and discharges about 1 % of employment a month |
//	| unemployment spell                 | mean 4 months, median 3       | BLS CPS: median duration about 9–10 weeks, mean about 15–20 in ordinary years (approximate) |
//	| income while unemployed            | 45–75 %                       | OECD net replacement rates in the first months of unemployment, roughly 40–70 % (approximate) |
//	| emergency expense                  | 2.2 % a month, median 0.45 months of income | Fed SHED 2022: 23 % of adults had a major unexpected medical expense in the prior year, median $1,000–1,999 |
//	| revolvers                          | discipline below ½            | about half to 60 % of cardholders carry a balance (SCF-based industry figures; CFPB, The Consumer Credit Card Market, 2017) |
//	| card interest                      | 20 % a year                   | Fed G.19: rates on credit card plans about 21–22 % in 2023 (approximate) |
//	| charge-off                         | 180 days open-end, 120 closed-end | FFIEC Uniform Retail Credit Classification and Account Management Policy (FDIC FIL-17-99, 1999; 65 FR 36903, 2000) |
//	| average credit card holding        | one to three cards            | CFPB 2017: 2.8 general-purpose cards per holder (approximate) |
//
// # Learnability
//
// TestLearnability trains a scorecard (scorecard.Train, default
// configuration) on the snapshot as of the end of month 12 — features
// from features.Recompute and Compute on the events up to then, labels
// from features.Adverse over the next 6 months — and scores the snapshot
// as of month 18 against months 18–24: the out-of-time AUC is 0.861 (seed
// 1; 0.86–0.88 on seeds 1–4), and the test requires at least 0.75. About
// half of the bads of a 6-month window are people already seriously
// delinquent at the snapshot, whom past-delinquency features find easily;
// among those not yet 90 days past due nor defaulted, a scorecard reaches
// 0.81–0.85 (in time, seeds 1–4). Which features matter — months since a 30-day delay, missed
// payments, utilisation, debt-to-income, inquiries, bills paid on time —
// is what a real bureau model finds.
//
// # Speed
//
// BenchmarkSimulate makes 5,000–6,500 people of 24 months (0.8–1 million
// events) a second on one core of the shared two-core development
// machine. TestScale (OPENCREDIT_SIM_SCALE=1) made a million people over 24
// months — 157 million events, written as NDJSON to io.Discard — in about
// 3 minutes on its two cores (2 min 53 s and 3 min 2 s in two runs), with a
// peak resident set of 16–20 MB.
//
// # Limits
//
// A closed cohort: nobody joins or leaves, and everyone is an adult with
// a settled life, so the young thin files a real population renews
// itself with are missing. Months are the time step: payments and
// statements fall on fixed days. Amounts are in one currency, and the
// calibration mixes EU incomes with US credit figures, which are the
// published ones.
package simulate
