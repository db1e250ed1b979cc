"""Meek STV: Hill, Wichmann & Woodall, "Algorithm 123" (The Computer Journal 30(3), 1987), with the
fixed-point arithmetic of New Zealand's Local Electoral Regulations 2001, Schedule 1A, as restated
in the Proportional Representation Foundation's Meek reference rule.

Arithmetic: integers in units of 10**-9 (nine decimal places). Tolerance: a round's iteration stops
when the total surplus of the elected candidates is below omega = 0.000001 (10**-6), or stops
falling. Each round:

1. Distribute every ballot: weight w = 1; for each ranked candidate in turn with keep factor kf > 0,
   the candidate keeps w x kf rounded UP to 9 places, and w drops by that amount, until w is 0 or
   the ranking ends. Hopeful candidates have kf = 1, excluded ones 0, elected ones less than 1.
2. Quota = (sum of all candidates' votes) / (seats + 1), truncated to 9 places, plus 0.000000001.
   As ballots exhaust the quota falls, which is Meek's point.
3. Every hopeful candidate with votes >= quota is elected; an election ends the round.
4. Otherwise, with surplus s = sum(votes - quota) over elected candidates: if s < omega or s did not
   fall since the last iteration, the iteration ends; else each elected candidate's kf becomes
   kf x quota / votes (each step rounded up to 9 places) and the ballots are distributed again.
5. After an iteration ends without an election, the hopeful candidate with the fewest votes is
   excluded (kf = 0). Candidates within s of the lowest count as tied with it; ties are broken by the
   most recent earlier round at which they differed, then by lot.
6. The count ends when every seat is filled or the hopeful candidates are no more than the vacancies
   left; then those remaining are elected.
"""

from dataclasses import replace

from governance.counting.prefixes import FEW
from governance.counting.prepare import Prepared
from governance.counting.types import CountResult, Note, Round, fixed

PLACES = 9
UNIT = 10**PLACES
OMEGA = 10**3  # 0.000001 in units of 10**-9
HOPEFUL, ELECTED, EXCLUDED = 0, 1, 2


def count_meek(p: Prepared) -> CountResult:
    return _MeekCount(p).run()


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


class _MeekCount:
    def __init__(self, p: Prepared) -> None:
        self.p = p
        self.n = len(p.names)
        self.state = [HOPEFUL] * self.n
        self.keep = [UNIT] * self.n
        self.votes = [0] * self.n
        self.quota = p.total * UNIT // (p.seats + 1) + 1
        self.elected: list[int] = []
        self.history: list[dict[int, int]] = []
        self.rounds: list[Round] = []
        self.residual = 0
        self.tree = p.prefixes
        self._distribute()

    def run(self) -> CountResult:
        names = self.p.names
        while len(self._hopeful()) > self._vacancies() > 0:
            self._round()
        rest = self._hopeful()
        if self._vacancies() > 0 and rest:
            notes: list[Note] = []
            votes = dict(enumerate(self.votes))
            ordered = self.p.ties.order(rest, votes, self.history, purpose="election", notes=notes)
            for c in ordered:
                self._elect(c)
            notes.append({"kind": "last_vacancies", "elected": [names[c] for c in ordered]})
            if self.rounds:
                last = self.rounds[-1]
                self.rounds[-1] = replace(
                    last, elected=last.elected + tuple(names[c] for c in ordered), notes=last.notes + tuple(notes)
                )
            else:
                self.rounds.append(self._record(1, [names[c] for c in ordered], [], notes, 0, 0))
        return CountResult(
            method="stv-meek",
            seats=self.p.seats,
            candidates=names,
            winners=tuple(names[c] for c in self.elected),
            rounds=tuple(self.rounds),
            quota=fixed(self.quota, PLACES),
            final_tallies={names[c]: fixed(self.votes[c], PLACES) for c in range(self.n) if self.state[c] != EXCLUDED},
            valid_ballots=self.p.total,
            withdrawn=self.p.withdrawn,
            lot_seed=self.p.ties.seed,
        )

    def _round(self) -> None:
        notes: list[Note] = []
        newly, surplus, iterations = self._iterate(notes)
        excluded: list[int] = []
        if not newly:
            hopeful = self._hopeful()
            low = min(self.votes[c] for c in hopeful)
            tied = [c for c in hopeful if self.votes[c] <= low + surplus]
            loser = self.p.ties.pick(tied, self.history, lowest=True, purpose="exclusion", notes=notes)
            excluded.append(loser)
        number = len(self.rounds) + 1
        names = self.p.names
        self.rounds.append(
            self._record(number, [names[c] for c in newly], [names[c] for c in excluded], notes, surplus, iterations)
        )
        self.history.append(dict(enumerate(self.votes)))
        for c in excluded:
            self.state[c] = EXCLUDED
            self.keep[c] = 0
            self.votes[c] = 0

    def _iterate(self, notes: list[Note]) -> tuple[list[int], int, int]:
        """Run step 1-4 until the round ends; return (newly elected, total surplus, iterations)."""
        last_surplus: int | None = None
        iterations = 0
        while True:
            iterations += 1
            self._distribute()
            total = sum(self.votes[c] for c in range(self.n) if self.state[c] != EXCLUDED)
            self.quota = total // (self.p.seats + 1) + 1
            reached = [c for c in self._hopeful() if self.votes[c] >= self.quota]
            votes = dict(enumerate(self.votes))
            newly = self.p.ties.order(reached, votes, self.history, purpose="election", notes=notes)
            for c in newly:
                self._elect(c)
            surplus = max(0, sum(self.votes[c] - self.quota for c in self.elected))
            if newly or surplus < OMEGA or (last_surplus is not None and surplus >= last_surplus):
                return newly, surplus, iterations
            last_surplus = surplus
            for c in self.elected:
                scaled = _ceil_div(self.keep[c] * self.quota, UNIT)
                self.keep[c] = _ceil_div(scaled * UNIT, self.votes[c])

    def _distribute(self) -> None:
        """Step 1, for all ballots of a prefix node at once (prefixes.py): they agree up to there."""
        votes = [0] * self.n
        residual = 0
        keep = self.keep
        split, rankings, weights = self.tree.split, self.tree.rankings, self.tree.weights
        # (lo, hi, depth, weight each of these ballots still carries)
        stack = [(0, len(rankings), 0, UNIT)]
        while stack:
            lo, hi, depth, remaining = stack.pop()
            if hi - lo <= FEW:  # a few groups: follow each one's ranking
                start = remaining
                for at in range(lo, hi):
                    weight = weights[at]
                    remaining = start
                    for c in rankings[at][depth:]:
                        factor = keep[c]
                        if factor == 0:
                            continue
                        kept = -(-remaining * factor // UNIT)
                        votes[c] += kept * weight
                        remaining -= kept
                        if remaining <= 0:
                            break
                    else:
                        residual += remaining * weight
                continue
            ending, children = split(lo, hi, depth)
            residual += remaining * ending
            for child_lo, child_hi, c, weight in children:
                factor = keep[c]
                if factor == 0:
                    stack.append((child_lo, child_hi, depth + 1, remaining))
                    continue
                kept = -(-remaining * factor // UNIT)
                votes[c] += kept * weight
                if remaining > kept:
                    stack.append((child_lo, child_hi, depth + 1, remaining - kept))
        self.votes = votes
        self.residual = residual

    def _record(
        self,
        number: int,
        elected: list[str],
        excluded: list[str],
        notes: list[Note],
        surplus: int,
        iterations: int,
    ) -> Round:
        names = self.p.names
        return Round(
            number=number,
            tallies={names[c]: fixed(self.votes[c], PLACES) for c in range(self.n) if self.state[c] != EXCLUDED},
            elected=tuple(elected),
            excluded=tuple(excluded),
            quota=fixed(self.quota, PLACES),
            non_transferable=fixed(self.residual, PLACES),
            notes=tuple(notes),
            detail={
                "surplus": fixed(surplus, PLACES),
                "iterations": iterations,
                "keep_factors": {
                    names[c]: fixed(self.keep[c], PLACES) for c in range(self.n) if self.state[c] == ELECTED
                },
            },
        )

    def _elect(self, c: int) -> None:
        self.state[c] = ELECTED
        self.elected.append(c)

    def _hopeful(self) -> list[int]:
        return [c for c in range(self.n) if self.state[c] == HOPEFUL]

    def _vacancies(self) -> int:
        return self.p.seats - len(self.elected)
