"""Demo posts for people looking for work. Written for Mapertunity's demo data."""

from __future__ import annotations

from .types import DemoPost

FOLLOW_UP = DemoPost(
    slug="following-up-after-a-job-interview",
    title="After the interview: a follow-up plan that actually works",
    summary=(
        "Thank each interviewer within a day, then follow up once, on the right date. A "
        "step-by-step plan with wording you can adapt, and when to stop waiting."
    ),
    author="ines-okafor",
    categories=["job-search"],
    tags=["interviews", "follow-up"],
    days_ago=3,
    body="""
The interview is over, you are on the bus home, and you replay every answer. This is the
moment most people stop acting and start waiting. Don't. What you do in the next week
is part of the interview, and it is the part you fully control.

Here is the plan we give every candidate on Mapertunity: two steps, each at a set time.

## Before you leave the building

Get two things before you walk out, or in the last minutes of a video call:

1. **The name and email of everyone who interviewed you.** If you don't have them, ask
   the person who arranged the interview: "Could you share the names of the panel? I'd
   like to thank them."
2. **The next step and its date.** Ask it plainly: "When do you expect to decide, and how
   will you let me know?" Write the answer down with the date you asked.

That second answer sets your whole timeline. Without it you are guessing.

## Step one: a thank-you note to each interviewer, within 24 hours

Send a separate, short email to each person who interviewed you, the same day if you
can and within a day at the latest. Separate matters: a group email reads like a form,
and interviewers often compare notes. If three people get the same paragraph, it shows.

A good note has three parts and fits on a phone screen:

- **Thanks, with something specific.** Name a moment from *your* conversation with *that*
  person: the warehouse layout they sketched, the question about night-shift handovers.
- **One line that links you to the job.** "Hearing how the team plans routes each
  morning made me more sure this is work I'd do well."
- **An easy close.** "If anything I said raised a question, I'm happy to answer it."

For example:

> Subject: Thank you, and the route-planning question
>
> Hi Dana,
>
> Thank you for the time today, and for walking me through how the morning routes are
> planned. It's the part of the job I'm most looking forward to. You asked how I'd
> handle a driver calling in sick at 6 a.m.; I've thought more about it and would add
> one thing: I'd keep a standing list of who can cover which routes.
>
> Best,
> Sam

Notice what is missing: no repeat of your whole CV, no "I look forward to hearing from
you at your earliest convenience." Keep it human and brief.

If you forgot to ask for someone's email, send the note to the organiser and ask them
to pass it on. That is completely normal.

## Step two: one follow-up, at the right time

Now you wait, but not indefinitely. The right time for your follow-up depends on what
they told you:

- **They gave a date.** Wait until one working day after it. If they said "by Friday",
  write on Monday.
- **They gave no date.** Wait seven to ten days after the interview.
- **You have another offer with a deadline.** Write straight away. This is not pushy;
  it is useful information for them.

The follow-up goes to the person who is running the process, usually the hiring
manager or the organiser, not to every interviewer. Three sentences are enough:

> Hi Dana,
>
> I'm writing to follow up on my interview for the Dispatch Coordinator role on 3 June.
> I'm still very interested, and I'd be grateful for any news on timing.
>
> Best,
> Sam

If you have an offer elsewhere, say so and give the date: "I've received another offer
and need to answer by Thursday. This role is my first choice; is there any chance of
news before then?"

## After that: when to stop

Send one more short note a week after the follow-up if you hear nothing. After that,
stop writing and put your energy into other applications. Silence after two polite
messages is an answer, even if it is a rude one.

Keep applying the whole time. A follow-up plan only works if it runs beside your search,
not instead of it.

## A simple timeline to copy

| when | what | to whom |
|---|---|---|
| end of the interview | ask for names and the decision date | organiser |
| within 24 hours | a separate thank-you note | each interviewer |
| one working day after their date (or 7–10 days) | one follow-up | hiring manager |
| a week later, if nothing | a last short note | hiring manager |

We're building this timeline into Mapertunity, so that it can remind you when each step
is due. However you keep track, the rule is the same: thank everyone quickly, follow up
once at the right moment, and keep moving.
""",
)

JOB_MAP = DemoPost(
    slug="reading-a-job-map",
    title="Reading a job map: commute, clusters and where the work really is",
    summary=(
        "A map shows things a list can't: how far each job is from your door, which "
        "neighbourhoods are hiring, and the jobs you'd never search for by name."
    ),
    author="ines-okafor",
    categories=["job-search"],
    tags=["maps", "commute"],
    days_ago=17,
    body="""
A list of jobs answers one question: what is open? A map answers the question you will
live with every working day: *where* is it, and how do I get there?

## Start from your door, not from a job title

Open the map, zoom to where you live, and look before you search. You'll see clusters:
circles with a number, each one a group of jobs too close together to show one by one
at this zoom level. Zoom in and they split into smaller groups and single pins.

This does two things a keyword search can't. It shows the jobs you would never have
typed in (the bakery supplier hiring a bookkeeper, the clinic that needs a driver), and
it shows you where work is concentrated, which is often not where you expected.

## Draw your commute before you fall for a job

Decide your limit first: thirty minutes door to door, one bus, whatever is true for
you. Then pan the map around that area and keep to it. A great job with a ninety-minute
commute is a job you will be looking to leave within a year.

Things to check for every pin that catches your eye:

- **The real journey at the real time.** A seven-kilometre trip can take ten minutes at
  noon and forty at 8 a.m.
- **The shift.** Early starts and late finishes can rule out public transport entirely.
- **Parking or cycling.** Ask about it in the interview; it is a fair question.

## Read the clusters as a signal

A big cluster in an industrial area tells you employers there are competing for
people. That is useful when you negotiate: if five warehouses within two kilometres all
need a shift lead, you have options, and so do they.

A neighbourhood with few pins is worth watching rather than ignoring. Save the area and
come back; new postings appear on the map within a second of being published.

## Remote and hybrid jobs

Remote jobs still sit on the map, at the employer's location, and each one says which
countries its applicants may live in. Hybrid jobs need the commute check above, just
for fewer days a week.

## Every pin shows the pay

On Mapertunity every posting shows its pay range, so you can compare two jobs across
town honestly: the one paying a little more may cost you the difference in travel. Put
pay and commute side by side and the right choice is often obvious.

When you find the one, open it, read it to the end, and apply directly. There is no
recruiter in between.
""",
)

NEGOTIATING = DemoPost(
    slug="negotiating-when-the-pay-range-is-public",
    title="Negotiating when the pay range is public",
    summary=(
        "When every posting shows its pay, negotiation changes: you know the range before "
        "you apply. How to use it, where to aim, and what to say."
    ),
    author="ines-okafor",
    categories=["job-search", "pay"],
    tags=["pay-transparency", "negotiation"],
    days_ago=38,
    body="""
For a long time, the first rule of negotiating pay was "never say a number first". The
employer knew the budget; you didn't; whoever spoke first lost. When the range is in the
posting, that game is over, and a better one starts.

## The range is a starting point, not a secret

A posted range, say 52,000 to 61,000 a year, tells you three things:

1. The budget was approved. You are not asking for money that doesn't exist.
2. The low end is where they'd place someone who meets the basic requirements.
3. The high end is for someone who brings more than the posting asks for.

Your job is to show where in that range you belong, with reasons.

## Work out your place in the range

Go through the posting line by line and mark each requirement: *meet*, *exceed* or
*learning*. Then add what the posting didn't ask for but the job clearly needs: a
forklift licence, a second language, experience with the same software.

- Mostly *meet*: aim for the middle.
- Several *exceed*, or rare extras: aim for the upper third.
- Some *learning*: the lower third is fair, and you can ask for a review in six months.

## What to say

When they make an offer, thank them, then answer with a number and one reason:

> "Thank you, I'm glad to get this offer. Given my four years running night shifts and
> the forklift licence, I was expecting something closer to 58,000. Is there room to
> get there?"

Then stop talking. Let them answer.

## When the answer is no

Sometimes the number really is fixed. Ask about the other parts of the offer instead:
a pay review date in writing, the shift pattern you prefer, a training budget, an
earlier start date for holidays. These cost an employer less and can be worth a lot to
you.

## One thing not to do

Don't ask for more than the top of the posted range unless the job you discussed grew
in the interview. If it did, say so: "We talked about me also covering the Saturday
team; that's beyond the posting, so I'd like to discuss the top of the range."

Open ranges make negotiation calmer for both sides. Use the information; you've earned
it.
""",
)

POSTS = [FOLLOW_UP, JOB_MAP, NEGOTIATING]
