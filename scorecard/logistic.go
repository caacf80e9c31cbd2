package scorecard

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/opencredit/opencredit"
)

// logitFit is a fitted logistic regression: coef[0] is the intercept, coef[j+1]
// the coefficient of column j.
type logitFit struct {
	coef       []float64
	iterations int
	deviance   float64
}

const (
	maxNewtonSteps = 100
	newtonTol      = 1e-10
)

// fitLogistic maximises the penalised log-likelihood
//
//	ℓ(β) = Σ_i [ y_i η_i − ln(1 + e^{η_i}) ] − (λ/2) Σ_{j≥1} β_j²,  η_i = β_0 + Σ_j β_j x_ij
//
// by Newton–Raphson (equivalently IRLS; McCullagh & Nelder, "Generalized
// Linear Models", 1989, §4.4): β ← β + (XᵀWX + λI)⁻¹ (Xᵀ(y − p) − λβ), with
// W = diag(p(1−p)) and step halving whenever the penalised deviance rises.
// The intercept is not penalised. x holds columns. The fit is deterministic.
// It fails, saying why and with the diagnostic value, when it does not
// converge or when the data are (quasi-)separated.
func fitLogistic(x [][]float64, y []float64, lambda float64) (logitFit, error) {
	n, p := len(y), len(x)+1
	beta := make([]float64, p)
	// Start at the base rate so the first step is small.
	var bads float64
	for _, v := range y {
		bads += v
	}
	beta[0] = math.Log((bads + 0.5) / (float64(n) - bads + 0.5))
	eta := make([]float64, n)
	row := make([]float64, p)
	H := mat.NewSymDense(p, nil)
	g := mat.NewVecDense(p, nil)
	var chol mat.Cholesky
	step := mat.NewVecDense(p, nil)

	objective := func(b []float64) float64 {
		var dev float64
		for i := 0; i < n; i++ {
			e := b[0]
			for j := 1; j < p; j++ {
				e += b[j] * x[j-1][i]
			}
			eta[i] = e
			// −2 log-likelihood, computed stably.
			dev += 2 * (softplus(e) - y[i]*e)
		}
		for j := 1; j < p; j++ {
			dev += lambda * b[j] * b[j]
		}
		return dev
	}
	dev := objective(beta)
	for it := 1; it <= maxNewtonSteps; it++ {
		H.Zero()
		g.Zero()
		hd := H.RawSymmetric().Data
		for i := 0; i < n; i++ {
			pi := sigmoid(eta[i])
			w := pi * (1 - pi)
			r := y[i] - pi
			row[0] = 1
			for j := 1; j < p; j++ {
				row[j] = x[j-1][i]
			}
			for a := 0; a < p; a++ {
				g.SetVec(a, g.AtVec(a)+r*row[a])
				wa := w * row[a]
				for b := a; b < p; b++ {
					hd[a*p+b] += wa * row[b]
				}
			}
		}
		for j := 1; j < p; j++ {
			hd[j*p+j] += lambda
			g.SetVec(j, g.AtVec(j)-lambda*beta[j])
		}
		if ok := chol.Factorize(H); !ok {
			if err := separated(beta, eta, y); err != nil {
				return logitFit{}, err
			}
			return logitFit{}, opencredit.Errorf(opencredit.EINVALID,
				"logistic fit: the information matrix is singular at step %d (a feature is constant or duplicates another)", it)
		}
		if err := chol.SolveVecTo(step, g); err != nil {
			return logitFit{}, opencredit.Errorf(opencredit.EINVALID, "logistic fit: %v", err)
		}
		next := make([]float64, p)
		t := 1.0
		var nextDev float64
		for half := 0; ; half++ {
			for j := range next {
				next[j] = beta[j] + t*step.AtVec(j)
			}
			nextDev = objective(next)
			if nextDev <= dev+1e-12*math.Abs(dev) || half == 30 {
				break
			}
			t /= 2
		}
		change := 0.0
		for j := range next {
			change = math.Max(change, math.Abs(next[j]-beta[j]))
		}
		beta, dev = next, nextDev
		if change < newtonTol*(1+maxAbs(beta)) {
			if err := separated(beta, eta, y); err != nil {
				return logitFit{}, err
			}
			return logitFit{coef: beta, iterations: it, deviance: dev}, nil
		}
		if it == maxNewtonSteps {
			return logitFit{}, opencredit.Errorf(opencredit.EINVALID,
				"logistic fit did not converge in %d Newton steps: the last step changed a coefficient by %.3g (penalised deviance %.6g)",
				maxNewtonSteps, change, dev)
		}
	}
	panic("unreachable")
}

// separated reports (quasi-)complete separation: coefficients so large that
// some rows get a fitted probability of exactly 0 or 1.
func separated(beta, eta, y []float64) error {
	const big = 30 // on the WoE scale a coefficient is normally near 1
	extreme := 0
	for i, e := range eta {
		if (e > 30 && y[i] > 0.5) || (e < -30 && y[i] < 0.5) {
			extreme++
		}
	}
	for j := 1; j < len(beta); j++ {
		if math.Abs(beta[j]) > big && extreme > 0 {
			return opencredit.Errorf(opencredit.EINVALID,
				"logistic fit: the data are separated — coefficient %d is %.4g and %d rows are fitted with probability 0 or 1; "+
					"a bin predicts the outcome perfectly (raise --min-bads or --min-goods, or drop the feature)", j, beta[j], extreme)
		}
	}
	return nil
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// softplus is ln(1 + e^x) without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

func maxAbs(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
