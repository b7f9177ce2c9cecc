"""Demo posts on pay and workforce planning. Written for Mapertunity's demo data."""

from __future__ import annotations

from .types import DemoPost

WHY_PAY = DemoPost(
    slug="why-every-job-shows-its-pay",
    title="Why every job on Mapertunity shows its pay",
    summary=(
        "A posting without pay wastes everyone's time. Why we made the pay range a required "
        "field, what it changes for employers, and what we learned from it."
    ),
    author="tomas-reyes",
    categories=["pay"],
    tags=["pay-transparency"],
    days_ago=45,
    body="""
When we built the job form, one field was required from the first day: the pay range.
You can't publish a job on Mapertunity without it. People ask us why we are so strict,
so here is the reasoning.

## It is the first question everyone has

Ask anyone what they want to know about a job and pay comes first or second, every
time. A posting that hides it forces the candidate to apply, wait, interview, and only
then find out whether the job was ever possible for them. That's hours of their time
and yours spent on a mismatch a single line would have shown.

## It brings better applications, not fewer

Employers worry that showing pay will scare people off. What actually happens is
that the people who apply have already accepted the range. Fewer applications arrive
from people who would have turned the offer down, and the ones that arrive are more
serious. Interviews are spent on fit, not on a salary dance.

## It makes pay fairer inside the company

A public range is a commitment. When two people in the same role are paid very
differently, a posted range makes that visible and hard to defend. Companies that post
pay tend to tidy up their internal pay bands, and that benefits the people already
there.

## It follows where the law is going

More and more places require a pay range in job ads, and the list grows every year.
Posting it everywhere, by default, means nobody has to keep track of which rule
applies in which city.

## How we ask for it

The form asks for a minimum and a maximum, a currency and a period (per hour, month or
year), and it checks that the minimum isn't above the maximum. Every posting shows the
range at the top, on the map and in the list.

Some advice on choosing it:

- **Keep it honest.** If nobody will ever be hired at the top, it shouldn't be the top.
- **Keep it narrow enough to mean something.** "30,000 to 90,000" tells a reader nothing.
- **Say what moves someone up the range.** Experience, licences, shift patterns.

We think a job board that shows pay on every job is simply more useful, for both sides
of the hire. So far, we haven't met an employer who wanted to go back.
""",
)

PLANNING = DemoPost(
    slug="workforce-planning-for-small-teams",
    title="Workforce planning for small teams: a one-page method",
    summary=(
        "You don't need an HR department to plan your hiring. A one-page, twelve-month "
        "plan that turns 'we're always short-staffed' into dates and decisions."
    ),
    author="tomas-reyes",
    categories=["workforce-planning"],
    tags=["workforce-planning", "small-business"],
    days_ago=10,
    body="""
Most small businesses hire in a panic: someone hands in their notice, the rota falls
apart, and a posting goes up that evening. Workforce planning sounds like something for
companies with an HR department, but a useful version fits on one page and takes an
afternoon.

## Step 1: list the work, not the people

Write down the work your business needs done in a normal week, in hours, by kind:
"front counter, 90 hours; deliveries, 60; bookkeeping, 8". Do this before you look at
who does it. It's the only way to see the gaps honestly.

## Step 2: put the people against it

Now add who covers each kind of work and for how many hours. Include the owner, and
include overtime. The total will almost always be short somewhere, and now you can see
exactly where.

## Step 3: look twelve months ahead

Go through the next year month by month and note what changes the picture:

- **Seasons.** The summer rush, the holiday peak, the quiet January.
- **Known departures.** Parental leave, a planned retirement, a student leaving in
  September.
- **Plans.** A second van, longer opening hours, a new site.

Each one moves the hours needed or the hours available. Write the change beside the
month.

## Step 4: turn the gaps into decisions

For every gap, choose one of four answers:

1. **Hire** permanently, when the gap is lasting.
2. **Hire for the season**, when it comes back every year; start recruiting six to
   eight weeks before the peak.
3. **Train someone up**, when the gap is a skill, not hours.
4. **Change the work**, when a tool or a new process removes the need.

Then put a date on each decision, counting back from when the person must be ready.
Recruiting, notice periods and training together often take two to three months.

## Step 5: look at it every quarter

Put a reminder in your calendar every three months, spend twenty minutes on the page,
and adjust. That's the whole method.

## Where the map helps

When a gap means hiring, look at where your future colleague is likely to live before
writing the posting. On Mapertunity you can see the candidates around your site and
how many have the skills you need. If there are few, start earlier, widen the commute
you consider, or plan to train. Better to learn that in March than in the middle of
the summer rush.
""",
)

SEASONAL = DemoPost(
    slug="seasonal-hiring-without-the-scramble",
    title="Seasonal hiring without the scramble",
    summary=(
        "The peak comes every year, so the hiring for it can be planned every year: a "
        "calendar that works back from the first busy week."
    ),
    author="tomas-reyes",
    categories=["workforce-planning", "hiring"],
    tags=["workforce-planning", "seasonal-work", "recruiting"],
    days_ago=-3,
    body="""
If your business has a busy season, you already know the date it starts. That makes
seasonal hiring the easiest kind to plan, and yet it's usually done in the week the
rush begins. Here is a calendar that works back from the first busy week.

## Ten weeks before: decide the numbers

Look at last year: how many extra hours did you need, on which days, and what went
wrong? Turn that into a number of people and shifts. Write down what each seasonal role
pays, and be ready to pay a little more than last year: every business around you is
hiring for the same weeks.

## Eight weeks before: invite last year's team back

The best seasonal workers are the ones who did it last year. Contact them first,
personally, with the dates and the pay. Many will say yes, and they need almost no
training.

## Seven weeks before: post and search

Post the jobs with clear dates, hours and pay. Then use the candidate map around your
site: students home for the summer and people looking for a few months of work often
live close by and aren't scanning job boards.

## Five weeks before: interview quickly

Seasonal candidates take the first good offer. Interview within days of an
application, decide at the end of the interview when you can, and send offers the
same day.

## Two weeks before: train together

Run one or two group training sessions instead of ten individual ones. Pair each new
person with someone experienced for their first shifts.

## After the season: say thank you

Thank everyone, ask who would come back next year, and note it down. That list is where
next year's planning starts.
""",
)

POSTS = [WHY_PAY, PLANNING, SEASONAL]
