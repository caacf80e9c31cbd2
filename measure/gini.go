package measure

// Gini is the Gini coefficient (accuracy ratio) of risk scores s against
// outcomes y, the usual ranking measure of credit scorecards:
//
//	Gini = 2 · AUC − 1
//
// (Engelmann, Hayden & Tasche, "Measuring the discriminative power of rating
// systems", Deutsche Bundesbank discussion paper 01/2003, eq. 10). It is 0 for
// a random ranking and 1 for a perfect one, and NaN when y holds one class.
func Gini(s, y []float64) float64 {
	return 2*AUC(s, y) - 1
}
