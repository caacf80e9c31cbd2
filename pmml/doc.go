// Package pmml exports a points-table model (package model) as a PMML 4.4
// Scorecard (Data Mining Group, PMML 4.4, "Scorecard",
// http://dmg.org/pmml/v4-4/Scorecard.html), so that any PMML consumer adds up
// the same points as model.Model.Score.
//
// # Score
//
// A PMML scorecard scores a row as
//
//	score = initialScore + Σ_j partialScore_j
//
// where partialScore_j belongs to the first Attribute of Characteristic j
// whose predicate is true. Export writes initialScore = BasePoints, one
// Characteristic per feature and one Attribute per bin with partialScore = the
// bin's points, and one Characteristic per pair (below), so the PMML score is
// BasePoints + Σ points: the model's score before clipping. A PMML Scorecard cannot clip, so a consumer must apply
// clip(score, Scaling.Min, Scaling.Max) itself. The range is kept in the
// document as <Extension name="opencredit:clip" value="350 950"/> on the
// Scorecard. (A Targets element with min and max would clip in standard PMML,
// but only for a continuous target, and the target declared here is the 0/1
// outcome.)
//
// # Attributes
//
// Since the first matching Attribute wins, their order carries the model's
// rules (model.Model.BinOf):
//
//   - Numeric feature: the missing bin under SimplePredicate isMissing, then
//     the interval bins by increasing lower bound. Lower ≤ x < Upper becomes
//     CompoundPredicate "and" of greaterOrEqual Lower and lessThan Upper; an
//     interval unbounded on one side a single SimplePredicate; one unbounded
//     on both sides <True/>. A missing bin that also has bounds appears twice,
//     under isMissing and as its interval.
//   - Categorical feature: the missing bin under isMissing, then every other
//     bin with categories as SimpleSetPredicate isIn, then a catch-all. With
//     an other bin the catch-all is that bin: <True/>, or CompoundPredicate
//     "or" of its own isIn and <True/> when it lists categories. Without one
//     the model sends unseen categories to the missing bin, so the catch-all
//     is <True/> with the missing bin's points. A bin with no categories that
//     is neither missing nor other receives no value in the model and gets
//     <False/>.
//
// # Pairs
//
// A pair of an explainable boosting machine (model.Pair) adds the points of
// one cell of its table, so it is one more Characteristic after the
// features', in the model's order, named "<first> × <second>_points" (the
// pair's name with the suffix every Characteristic has), with reasonCode =
// Pair.ReasonCode and baselineScore = Pair.MaxPoints. Each axis gets the
// predicates, in the order, that a feature with the axis's bins would get
// (above); call them A_1…A_n for the first axis and B_1…B_k for the second.
// The pair has one Attribute per (A_r, B_c), ordered by r then c,
//
//	<Attribute partialScore="points of the cell of A_r's bin and B_c's bin">
//	  <CompoundPredicate booleanOperator="and"> A_r B_c </CompoundPredicate>
//	</Attribute>
//
// and the first of them that is true is the model's cell: "and" is true only
// when both are, no Attribute of an A before the first true A_r is true, and
// some B_c is true with it, since every value meets a predicate of each axis
// (isMissing, intervals that cover the line, or a categorical catch-all).
// A pair with axes of n and k predicates has n·k Attributes (at most 32 × 32
// for an EBM with the default interaction bins).
//
// The axes read the features' DataFields and MiningFields, so a pair adds no
// field. An axis may cut a feature differently from the feature's own bins;
// a category an axis lists that the DataField does not still reaches its
// predicate, as categorical fields are read asIs (below). Export refuses a
// model with a pair it cannot write (no reason code, an axis on a field that
// is not a feature or not of its kind, a table that does not match the axes,
// a category that cannot be written) rather than leave it out, which would
// change every score.
//
// # Invalid values
//
// Each categorical DataField lists the training categories as Value elements,
// and PMML treats an unlisted value as invalid. Categorical features therefore
// use invalidValueTreatment="asIs" rather than "asMissing": asMissing would
// turn an unseen category into a missing value, which isMissing catches
// first, scoring the missing bin where the model scores the other bin. With
// asIs the value reaches the catch-all. Numeric features use "asMissing", so a
// value that is not a number scores as missing.
//
// # Target
//
// The target DataField is m.Target with optype categorical, dataType integer
// and values 0 (good) and 1 (bad). A regression model's predicted value is
// nominally a value of its target field; the score is not, and a consumer
// should read it from the Output field "score". Some consumers (JPMML) cast
// the predicted value to the target's dataType: integer keeps the score a
// number, and it is always whole since points are integers, where string
// would turn it into text.
//
// # Reason codes
//
// reasonCodeAlgorithm="pointsBelow" with baselineMethod="max" and each
// Characteristic's baselineScore = Feature.MaxPoints and reasonCode =
// Feature.ReasonCode ranks features by points lost, max − earned, as the
// model's reasons do (ECOA Reg. B, 12 CFR 1002.9(b)(2)); a pair is ranked
// the same way by Pair.MaxPoints and Pair.ReasonCode, a reason of its own as
// in the model. The Output fields reason_code_1 to reason_code_4 return the
// top four. Three differences remain: PMML adds up the points of features
// and pairs that share a reason code where the model lists each; the
// specification orders no ties where the model breaks them by feature order,
// features before pairs (the document's order); and some consumers (JPMML)
// also return codes with no points lost, which the model leaves out.
//
// # Encoding
//
// Bounds are written with strconv's shortest 'g' format, which parses back to
// the same float64. Array values are always quoted and an inner double quote
// is written \" (PMML 4.4, General Structure, "Array"); a category ending in a
// backslash cannot be quoted that way and Export refuses it, as it refuses
// names and categories holding characters XML 1.0 does not allow. The output
// depends on the model alone: features, pairs, bins and categories keep the
// model's order and intervals are sorted by lower bound.
package pmml
