// Package policy enforces the lines OpenCredit does not cross, in code:
// protected traits are never model inputs (GDPR Art. 9, ECOA / Regulation B
// 12 CFR 1002.6, EU AI Act), a person's age is used only under the
// conditions of 12 CFR 1002.6(b)(2) (protected.go, check.go, age.go), and a score
// serves only a permissible credit purpose — a credit application, an account
// review, a rental deposit waiver, or the subject's own access — never
// employment, public services, travel, education or any other unrelated
// context (FCRA §604; EU AI Act Art. 5(1)(c)) (purpose.go).
package policy
