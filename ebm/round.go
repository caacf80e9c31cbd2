package ebm

import "math"

// Rounding the points of every term to whole points moves each person's
// total by the sum of the terms' rounding errors: up to half a point per
// term, a spread that grows with the number of terms and that can reorder
// people whose log-odds are close. roundPoints rounds to the nearest
// point and then, term by term, moves a bin (a fine bin of a feature, a
// cell of a pair) to its other neighbouring whole point when that lowers
// the sum over the training rows of the squared difference between the
// rounded and the exact total: a bin is moved up when its rows' totals are
// on average more than half a point short, down when more than half a point
// over. Every point stays within one of its exact value, so a table reads
// as before, and a move is refused when it would order two neighbouring
// bins (along each axis of a pair) otherwise than their exact values order
// them, which keeps a monotone shape monotone. Features with a person's age
// keep plain rounding, so the age rule is checked on points that are each
// the nearest to their exact value.

// roundTerm is one term's exact points (offset so that its least is 0),
// their rounding, the term's code of every training row and how bins
// neighbour each other: adj(k, visit) visits every bin next to bin k along
// an ordered axis (nil: none has an order).
type roundTerm struct {
	exact  []float64
	points []int
	codes  []uint16
	adj    func(k int, visit func(int))
	fixed  bool // plain rounding only
}

// roundPasses is how many times roundPoints visits every term; the totals'
// error stops falling after two or three.
const roundPasses = 3

// roundPoints rounds every term's exact points as described above.
func roundPoints(terms []*roundTerm, rows int) {
	resid := make([]float64, rows) // exact total − rounded total of each row
	for _, t := range terms {
		t.points = make([]int, len(t.exact))
		for k, e := range t.exact {
			t.points[k] = int(math.Round(e))
		}
		for i, c := range t.codes {
			resid[i] += t.exact[c] - float64(t.points[c])
		}
	}
	var sum []float64
	var count []int
	for range roundPasses {
		moved := false
		for _, t := range terms {
			if t.fixed {
				continue
			}
			nb := len(t.exact)
			sum, count = zeroed(sum, nb), zeroed(count, nb)
			for i, c := range t.codes {
				sum[c] += resid[i]
				count[c]++
			}
			var step []int // per bin: the move made, −1, 0 or +1
			for k := range nb {
				n := float64(count[k])
				var d int
				switch {
				case n == 0:
				case sum[k] > n/2 && float64(t.points[k]+1)-t.exact[k] < 1:
					d = 1
				case sum[k] < -n/2 && t.exact[k]-float64(t.points[k]-1) < 1:
					d = -1
				}
				if d == 0 || !t.keepsOrder(k, t.points[k]+d) {
					continue
				}
				if step == nil {
					step = make([]int, nb)
				}
				t.points[k] += d
				step[k] = d
				moved = true
			}
			if step != nil {
				for i, c := range t.codes {
					resid[i] -= float64(step[c])
				}
			}
		}
		if !moved {
			break
		}
	}
}

// keepsOrder reports whether bin k at p points is ordered against each of
// its neighbours as their exact points are: never above one whose exact
// value is at least its own, nor below one whose exact value is at most
// its own.
func (t *roundTerm) keepsOrder(k, p int) bool {
	if t.adj == nil {
		return true
	}
	ok := true
	t.adj(k, func(n int) {
		e, q := t.exact[n], t.points[n]
		if (t.exact[k] <= e && p > q) || (t.exact[k] >= e && p < q) {
			ok = false
		}
	})
	return ok
}

// lineAdj is adj for bins 0 … n−1 in a line (a numeric feature's value
// bins; the missing bin, n, has no neighbour).
func lineAdj(n int) func(int, func(int)) {
	return func(k int, visit func(int)) {
		if k >= n {
			return
		}
		if k > 0 {
			visit(k - 1)
		}
		if k+1 < n {
			visit(k + 1)
		}
	}
}

// gridAdj is adj for the cells of a pair's table, nx × ny cells with cell
// (i, j) at i·ny + j: neighbours along an ordered axis, among its value
// bins (all but the last, missing, bin).
func gridAdj(nx, ny int, xOrdered, yOrdered bool) func(int, func(int)) {
	return func(k int, visit func(int)) {
		i, j := k/ny, k%ny
		if xOrdered && i < nx-1 {
			if i > 0 {
				visit(k - ny)
			}
			if i+1 < nx-1 {
				visit(k + ny)
			}
		}
		if yOrdered && j < ny-1 {
			if j > 0 {
				visit(k - 1)
			}
			if j+1 < ny-1 {
				visit(k + 1)
			}
		}
	}
}

// zeroed returns s resized to n zero values, reusing its array when it is
// large enough.
func zeroed[T int | float64](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}
