// Package policy enforces the lines OpenCredit does not cross, in code:
// protected traits are never model inputs (GDPR Art. 9, ECOA / Regulation B
// 12 CFR 1002.6, EU AI Act), and a person's age is used only under the
// conditions of 12 CFR 1002.6(b)(2).
package policy
