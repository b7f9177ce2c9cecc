"""Demo posts for people hiring. Written for Mapertunity's demo data."""

from __future__ import annotations

from .types import DemoPost

CANDIDATES_ON_A_MAP = DemoPost(
    slug="how-employers-find-candidates-on-a-map",
    title="How employers find candidates on a map",
    summary=(
        "Instead of waiting for applications, search the area around your site: who lives "
        "within a reasonable commute, what they can do, and how to reach out well."
    ),
    author="tomas-reyes",
    categories=["hiring"],
    tags=["maps", "recruiting", "local-hiring"],
    days_ago=6,
    body="""
Most hiring starts with a posting and a wait. That works when plenty of people are
looking. When they aren't, the best candidates for a job at your site are often people
who live fifteen minutes away and haven't seen your posting at all.

A candidate map turns that around: you look at the area around your workplace and see
who could do the job and get there.

## Start at the site, not at a job board

Open the candidate map and centre it on the place the person will actually work: the
depot, the shop, the clinic. Zoom out until the area covers a commute you would accept
yourself. For a shift that starts at 6 a.m., that circle is smaller than you think.

You'll see clusters with numbers. Each is a group of candidates close together; zoom in
and they split. The numbers alone are useful: they show where people with the skills
you need actually live, which can inform where you open your next site.

## Privacy is built in, and it helps you

Candidates appear on the map at an approximate location, never at their address. The
map knows the neighbourhood, not the front door. People who know they can't be pinned
to their home are far more willing to be found at all, so the map has more people on
it than one that demanded precision.

For you the approximation costs nothing: you are judging a commute, and a neighbourhood
is precise enough for that.

## Filter by what the job needs

Narrow the map to what matters for the role: the skills and licences, the kind of
work (full-time, part-time, shifts), and when someone can start. Be honest about the
must-haves and relaxed about the rest. A forklift licence is a must-have for a forklift
job; five years in your exact industry is usually not.

## Reach out like a neighbour, not a recruiter

When you find someone promising, your first message decides whether they answer.
Make it specific and short:

> Hi Alex, I run the warehouse team at Harbor & Pine on the east side, about ten
> minutes from you. We're hiring a shift lead at 26–29 an hour, mostly early shifts.
> Your experience with inventory systems stood out. Would you like to talk this week?

Three things make that work: where the job is, what it pays, and why you picked *them*.
Leave out "exciting opportunity". Candidates on Mapertunity deal with you directly, so
the tone of your first message is the tone of your company.

## Measure what happens

Track how many people you contact, how many answer, and how quickly. If answers are
low, the message or the pay is usually the reason, not the map. Candidates notice how
quickly employers respond, and a reputation for answering fast is worth building.

## Combine it with a posting

The map doesn't replace a job posting; it works beside it. Post the job (your first one
is free), then use the map to invite the people nearby who never saw it. Between the
two you reach both the people looking and the people who would move for the right job
close to home.
""",
)

WRITING_POSTINGS = DemoPost(
    slug="writing-a-job-posting-people-finish-reading",
    title="Writing a job posting people finish reading",
    summary=(
        "Lead with the pay, the place and the first month. A plain structure for postings "
        "that get more of the right applicants and fewer of the wrong ones."
    ),
    author="tomas-reyes",
    categories=["hiring"],
    tags=["job-postings", "pay-transparency"],
    days_ago=24,
    body="""
Job seekers read postings on a phone, often on the way somewhere. They decide in a few
seconds whether to keep reading. Most postings spend those seconds on the company's
history. Here is a structure that spends them on what the reader needs.

## The first three lines

Put these at the top, before anything else:

1. **Pay.** The range, and per what: hour, month, year. Mapertunity shows it on every
   posting, and the ranges that get the most applications are honest and not too wide.
2. **Place and hours.** Where the work happens and when: "On-site in Eastgate, early
   shifts 6:00–14:30, alternate Saturdays."
3. **The job in one sentence.** "You'll run the morning dispatch for twelve drivers."

Someone who reads only this far can already decide whether to apply. That is the goal.

## What you'll do

A short list of the real tasks, in the words your team uses, most frequent first. Five
to seven items. If a task takes an hour a month, leave it out.

## What we're looking for

Split it honestly into two lists: what someone *must* have on day one, and what would
be *nice*. Every item on the must-have list shrinks your pool, so each one should be
truly necessary. Many good candidates, especially women and career changers, don't
apply unless they meet every line.

## The first month

This section is rare and it works. Describe what the first four weeks look like: who
trains the new person, what they'll do in week one, when they'll work alone. It answers
the question every candidate has and few dare to ask: *will I be set up to succeed?*

## How to apply and what happens next

Say exactly how to apply, how long you'll take to answer, and how many interviews to
expect. Then keep that promise.

## Words to cut

- "Fast-paced environment" (say what the pace is: "forty orders an hour at peak").
- "Competitive salary" (you've already given the range).
- "Rockstar", "ninja", "family" (describe the team instead).

A good posting is short, concrete and honest. It puts off some people, and that's
fine: they were never going to take the job.
""",
)

POSTS = [CANDIDATES_ON_A_MAP, WRITING_POSTINGS]
