package consent

import "fmt"

// decideMode is how a decision sets the stored choices.
type decideMode uint8

const (
	// modeGrant: Decision.Grant granted, every other category refused (the
	// banner's Accept all, Reject all, Save, and Manager.Decide).
	modeGrant decideMode = iota
	// modeAcknowledge: the notice or opt-out banner dismissed with OK;
	// the stored choices stay as they were (valid ones), so the policy's
	// defaults keep applying to the rest.
	modeAcknowledge
	// modeOptOut: an opt-out request; the policy's sale-or-share
	// categories refused, the other stored choices kept.
	modeOptOut
)

// choose sets st's choices for the mode. prev is the visitor's state
// before the decision.
func (mode decideMode) choose(st *State, prev State, grant []string) error {
	m := st.m
	switch mode {
	case modeGrant:
		for i := 1; i < len(m.cats); i++ {
			st.choices[i] = Refused
		}
		for _, name := range grant {
			i, ok := m.byName[name]
			if !ok {
				return fmt.Errorf("consent: Decision grants unknown category %q", name)
			}
			st.choices[i] = Granted
		}
		return nil
	}
	if prev.valid {
		st.choices = prev.choices
	}
	if mode == modeOptOut {
		p := st.policy()
		for i := 1; i < len(m.cats); i++ {
			if p.saleOrShare[i] {
				st.choices[i] = Refused
			}
		}
	}
	return nil
}
