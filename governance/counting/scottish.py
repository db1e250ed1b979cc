"""Scottish STV: The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1 rules 45-52.

How each rule is applied here (values are integers in units of 0.00001, so the arithmetic is exact):

- 45, 46: every valid ballot goes to its first preference at value 1. Quota = floor(valid ballots /
  (seats + 1)) + 1 (the Droop quota, in whole votes).
- 47: at the end of every stage, each continuing candidate whose votes equal or exceed the quota is
  elected (several at once in order of votes, highest first).
- 48: a surplus is transferred from ALL the papers the candidate holds (weighted inclusive Gregory,
  not just the last parcel received): each paper's new value is surplus x its value when received /
  the candidate's total votes, truncated to five decimal places ("any remainder being ignored").
  Papers with no further continuing preference are non-transferable; what truncation drops is
  recorded as rounding loss. The candidate then holds exactly the quota.
- 49: surpluses are transferred one per stage, largest first, and before any exclusion; equal
  surpluses are ordered by the votes at the most recent preceding stage at which the candidates
  differed, then by lot.
- 50, 51: with no surplus left, the candidate with the fewest votes is excluded and all their papers
  pass on at the value they hold (1 for first preferences); ties are broken by the most recent
  preceding stage at which the candidates differed, the lowest there being excluded, then by lot.
- 52: once the continuing candidates are no more than the vacancies left, they are all elected and
  no further transfer changes anything. When that happens right after an exclusion, the excluded
  candidate's papers are still transferred and marked `informational` so the final stage shows where
  they went (as electronic counts do; SSI 2021/437 amended the 2011 Order to allow exactly this).

Rounds: one per stage, plus, when a stage elects a candidate with no surplus, the exclusion that
follows is the next round (as the published example counts show it).
"""

from decimal import Decimal

from governance.counting.papers import first_preferences, move
from governance.counting.prepare import Prepared
from governance.counting.types import CountResult, Note, Round, Transfer, TransferKind, fixed

PLACES = 5
UNIT = 10**PLACES
HOPEFUL, ELECTED, EXCLUDED = 0, 1, 2


def count_scottish(p: Prepared) -> CountResult:
    return _ScottishCount(p).run()


class _ScottishCount:
    def __init__(self, p: Prepared) -> None:
        self.p = p
        self.n = len(p.names)
        self.quota = (p.total // (p.seats + 1) + 1) * UNIT
        self.tree = p.prefixes
        self.piles = first_preferences(self.tree, self.n, UNIT)
        self.votes = [sum(parcel[3] * parcel[4] for parcel in pile) for pile in self.piles]
        self.state = [HOPEFUL] * self.n
        self.pending: list[int] = []
        self.elected: list[int] = []
        self.non_transferable = 0
        self.rounding_loss = 0
        self.history: list[dict[int, int]] = []
        self.rounds: list[Round] = []

    def run(self) -> CountResult:
        while not self._round():
            pass
        names = self.p.names
        return CountResult(
            method="stv-scottish",
            seats=self.p.seats,
            candidates=names,
            winners=tuple(names[c] for c in self.elected),
            rounds=tuple(self.rounds),
            quota=fixed(self.quota, PLACES),
            final_tallies={names[c]: self._v(c) for c in range(self.n) if self.state[c] != EXCLUDED},
            valid_ballots=self.p.total,
            withdrawn=self.p.withdrawn,
            lot_seed=self.p.ties.seed,
        )

    def _round(self) -> bool:
        """Count one round; return True when the count is complete."""
        p = self.p
        notes: list[Note] = []
        tallies = {p.names[c]: self._v(c) for c in range(self.n) if self.state[c] != EXCLUDED}
        start = {
            "non_transferable": fixed(self.non_transferable, PLACES),
            "rounding_loss": fixed(self.rounding_loss, PLACES),
        }
        votes = dict(enumerate(self.votes))
        reached = [c for c in self._hopeful() if self.votes[c] >= self.quota]
        newly = p.ties.order(reached, votes, self.history, purpose="election", notes=notes)
        for c in newly:
            self._elect(c)
            if self.votes[c] > self.quota:
                self.pending.append(c)
        elected = list(newly)
        excluded: list[int] = []
        transfer = None
        done = self._fill_last_vacancies(elected, notes)
        if not done:
            if self.pending:
                top = max(self.votes[c] for c in self.pending)
                tied = [c for c in self.pending if self.votes[c] == top]
                source = p.ties.pick(tied, self.history, lowest=False, purpose="surplus", notes=notes)
                self.pending.remove(source)
                transfer = self._transfer_surplus(source)
            elif not newly:
                hopeful = self._hopeful()
                low = min(self.votes[c] for c in hopeful)
                tied = [c for c in hopeful if self.votes[c] == low]
                loser = p.ties.pick(tied, self.history, lowest=True, purpose="exclusion", notes=notes)
                self.state[loser] = EXCLUDED
                excluded.append(loser)
                last = len(hopeful) - 1 <= self.p.seats - len(self.elected)
                transfer = self._transfer_excluded(loser, informational=last)
                done = self._fill_last_vacancies(elected, notes)
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                tallies=tallies,
                elected=tuple(p.names[c] for c in elected),
                excluded=tuple(p.names[c] for c in excluded),
                transfer=transfer,
                quota=fixed(self.quota, PLACES),
                non_transferable=start["non_transferable"],
                notes=tuple(notes),
                detail={"rounding_loss": start["rounding_loss"]},
            )
        )
        self.history.append(votes)
        return done

    def _fill_last_vacancies(self, elected: list[int], notes: list[Note]) -> bool:
        """Apply rule 52 (and stop when every seat is filled); return True when the count is over."""
        vacancies = self.p.seats - len(self.elected)
        if vacancies == 0:
            return True
        hopeful = self._hopeful()
        if len(hopeful) > vacancies:
            return False
        votes = dict(enumerate(self.votes))
        rest = self.p.ties.order(hopeful, votes, self.history, purpose="election", notes=notes)
        for c in rest:
            self._elect(c)
        elected.extend(rest)
        if rest:
            notes.append({"kind": "last_vacancies", "elected": [self.p.names[c] for c in rest]})
        return True

    def _transfer_surplus(self, source: int) -> Transfer:
        total = self.votes[source]
        surplus = total - self.quota
        value_of = {value: surplus * value // total for _, _, _, value, _ in self.piles[source]}
        received, non_transferable, values = move(
            self.tree, self.piles[source], self.piles, self._continuing(), value_of
        )
        loss = surplus - sum(received.values()) - non_transferable
        self.piles[source] = []
        self.votes[source] = self.quota
        return self._record(source, "surplus", received, non_transferable, loss, values, informational=False)

    def _transfer_excluded(self, loser: int, *, informational: bool) -> Transfer:
        received, non_transferable, values = move(self.tree, self.piles[loser], self.piles, self._continuing())
        self.piles[loser] = []
        self.votes[loser] = 0
        return self._record(loser, "exclusion", received, non_transferable, 0, values, informational=informational)

    def _record(
        self,
        source: int,
        kind: TransferKind,
        received: dict[int, int],
        non_transferable: int,
        loss: int,
        values: set[int],
        *,
        informational: bool,
    ) -> Transfer:
        for c, value in received.items():
            self.votes[c] += value
        self.non_transferable += non_transferable
        self.rounding_loss += loss
        names = self.p.names
        return Transfer(
            source=names[source],
            kind=kind,
            received={names[c]: fixed(received.get(c, 0), PLACES) for c in self._hopeful()},
            non_transferable=fixed(non_transferable, PLACES),
            rounding_loss=fixed(loss, PLACES),
            transfer_values=tuple(fixed(value, PLACES) for value in sorted(values, reverse=True)),
            informational=informational,
        )

    def _elect(self, c: int) -> None:
        self.state[c] = ELECTED
        self.elected.append(c)

    def _hopeful(self) -> list[int]:
        return [c for c in range(self.n) if self.state[c] == HOPEFUL]

    def _continuing(self) -> list[bool]:
        return [state == HOPEFUL for state in self.state]

    def _v(self, c: int) -> Decimal:
        return fixed(self.votes[c], PLACES)
