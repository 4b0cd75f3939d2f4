"""The red-flag screen read directly: patterns, meaning, harmless phrases, denials, breaths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.answering import Brain
from bot.safety import RedFlagScreen, ScreenLimits
from bot.semantic import SemanticIndex, shared_embedder
from tests.helpers import EXAMPLES, NO_ANSWERS, normalizer, red_flag_file


def flags(brain: Brain, text: str) -> set[str]:
    return {flag.id for flag in brain.screen.screen(text).flags}


@pytest.mark.parametrize(
    ("message", "flag"),
    [
        # described indirectly or casually: the meaning screen or a broader pattern
        ("a cramp in my chest that spreads to my arm", "pain-spreading"),
        ("way more painful than normal and too weak to lift my legs", "rhabdomyolysis"),
        ("my pee looked like coca cola after the ultra", "dark-urine"),
        ("i felt really out of it and didn't know what mile i was at", "confusion"),
        ("calf has been swollen and warm since the flight home from the race", "dvt"),
        ("hamstring cramp for 20 minutes now and it wont let go", "long-cramp"),
        ("the cramp lasted 15 minutes each time", "long-cramp"),
        ("every 10 minutes the cramp comes back and then lasts 15 minutes", "long-cramp"),
        ("my hamstring cramped for 25 minutes, run abandoned", "long-cramp"),
        ("calf cramp 40 minutes, walked home", "long-cramp"),
        ("my calf cramped for 20 minutes walking back to the car", "long-cramp"),
        # "doesn't" denies, but not the sign it is part of
        ("my calf cramp doesn't let go", "long-cramp"),
        ("he doesnt respond to us after the race", "seizure"),
        ("she doesn't make sense after the marathon", "confusion"),
        ("he doesnt sweat anymore and feels boiling hot", "heatstroke"),
        # across sentences, in one breath
        ("I drank litres of water in the race. Now a headache and nausea.", "hyponatraemia"),
        ("felt like a fridge was parked on my chest around km 30", "chest-pain"),
        ("my friend was acting drunk at the finish, hadn't had a drop", "confusion"),
        ("my stomach began cramping and that continued for the next hour and a half", "long-cramp"),
        # "1 hour 20 minutes" may be a finish time, but a cramp that long must not be missed
        ("my calf cramped for 1 hour 20 minutes", "long-cramp"),
        ("I was sick at about mile 22 and had bad stomach cramps after", "vomiting-nausea"),
        # slang and understatement (red-flags-tuning-2.yaml)
        ("kept chundering after the half and both calves cramped", "vomiting-nausea"),
        ("room went all spinny after my run and my feet were cramping", "dizziness"),
        ("my mate went a bit loopy at the end of the ultra", "confusion"),
        ("my pee was reddish this morning after the hills", "red-urine"),
        ("quads hurt way beyond normal soreness three days after the race", "rhabdomyolysis"),
        ("one calf is fat and hot after the long drive home", "dvt"),
        ("my hamstring cramp would not let go all the way to the car", "long-cramp"),
        (
            "threw up at the finish line, then both calves locked up in cramps for a while",
            "vomiting-nausea",
        ),
        ("I don't know why, it felt like chest pain on the hill", "chest-pain"),
        # the fourth set's signs, put another way (2026-12-03)
        ("couldn't keep any water down since the race, calves still knotted", "vomiting-nausea"),
        ("can't keep anything down since the finish and my quads are in knots", "vomiting-nausea"),
        ("after the marathon he couldn't even remember his own address", "confusion"),
        ("my wee is the colour of dr pepper after the 50k", "dark-urine"),
        ("my left calf feels warmer than the other one and it's tender", "dvt"),
        ("the hamstring cramp didn't ease for half an hour, even walking", "long-cramp"),
        ("my son is hot to the touch and not sweating after the race", "heatstroke"),
        # plain descriptions no pattern named before (2026-12-03)
        ("i was confused after the 10k", "confusion"),
        ("he went grey and sat down and couldn't speak properly", "confusion"),
        ("the pain in my thighs is unbearable days after the race", "rhabdomyolysis"),
        (
            "My fingers were swollen and my stomach was sloshing. I took water at every stop.",
            "hyponatraemia",
        ),
        ("sick as a dog after the half and my calves keep cramping", "vomiting-nausea"),
        ("after the ultra a pounding headache and I keep gagging", "vomiting-nausea"),
        ("after the race he kept asking where we had parked", "confusion"),
        ("legs cramping at the finish and my head all fuzzy", "confusion"),
        ("my calf cramp didn't ease for a solid half hour", "long-cramp"),
        # someone else's sign, now: only an illness long ago is history
        ("my husband had chest pain at the finish yesterday", "chest-pain"),
        ("my dad had a heart attack at 70 and now I get chest pain on hills", "chest-pain"),
        # a moderator's not_when vetoes one sign only, and only when it is affirmed
        ("pink pee after the marathon, is that normal?", "red-urine"),
        ("no beetroot at all but my pee went pink after the marathon", "red-urine"),
        # ...and a guess at what explains it away is no reason to stop worrying
        ("my pee went pink after the hill reps, probably just the beetroot juice", "red-urine"),
        ("pink wee after the marathon, maybe it's the beetroot?", "red-urine"),
        ("pink wee after the race, probs just the beetroot lol", "red-urine"),
        ("my pee was pink this morning, reckon it's the beetroot", "red-urine"),
        (
            "I had beetroot last night. My wee went pink after the run. Maybe that's why?",
            "red-urine",
        ),
        ("could it be the beetroot? my pee went pink after the 10k", "red-urine"),
        ("first run in months and now cramps wake me every night", "night-cramps-often"),
        ("the calf cramp is gone in seconds but it wakes me every night", "night-cramps-often"),
        # said the way runners say them
        ("so puffed on an easy jog I couldn't get two words out", "breathless"),
        ("my shin cramps up and then my toes go dead for a while", "cramp-numbness"),
        ("when my foot cramps I can't feel my toes at all", "cramp-numbness"),
        ("drank water at every station and my fingers swelled like sausages", "hyponatraemia"),
        ("my mate went down at the finish and didn't get back up for ages", "fainting-collapse"),
        ("she crumpled in a heap just after the line", "fainting-collapse"),
        ("was sick in the bin after the 10k, calves cramping", "vomiting-nausea"),
        ("the marshal turned me round, I was running the wrong way and didn't notice", "confusion"),
        (
            "my chest felt like someone was sitting on it at mile 10, went away when i walked",
            "chest-pain",
        ),
        ("after the ultra i couldnt remember my own name for a minute", "confusion"),
        (
            "i collapsed on the sofa at home and couldn't get up, we called an ambulance",
            "fainting-collapse",
        ),
        ("my calves cramped and I threw up, my hands were shaking", "vomiting-nausea"),
        (
            "my legs are weaker than i have ever felt, can hardly lift them into the car",
            "rhabdomyolysis",
        ),
        ("been chugging water all day before the race and now feel sick", "hyponatraemia"),
        ("after the marathon i drank litres and now i feel bloated and muddled", "hyponatraemia"),
        ("my mate started shaking all over and went stiff at the finish", "seizure"),
        ("had a funny turn on my run, everything went black for a second", "fainting-collapse"),
        ("my calf cramp lasted nearly an hour last night", "long-cramp"),
        ("ma chest wuz reely tite on the run an my arm went tingly", "chest-pain"),
        ("left leg twice the size of the right after the flight home from the race", "dvt"),
        ("wandering around the finish totally lost, didnt know what day it was", "confusion"),
        ("went down like a sack of spuds at mile 18", "fainting-collapse"),
        ("he seemed confused about how he got to the finish, calves cramping", "confusion"),
        ("woke up on the floor of the changing room after the race", "fainting-collapse"),
        # "a pain in my side" is a stitch to the matcher, never a way to hide chest pain
        ("sharp pain in my left side of my chest when running", "chest-pain"),
        ("pain under my ribs and my chest feels tight", "chest-pain"),
        # a harmless phrase ("minutes in") never reaches over a comma
        ("my calf cramped for 40 minutes, in the end I called a medic", "long-cramp"),
        ("got home and collapsed into bed and couldn't get back up for hours", "fainting-collapse"),
        ("my leg has been numb from sleeping on it for two days after the ultra", "cramp-numbness"),
        (
            "drank like 6 litres during the marathon and now puking and my head is splitting",
            "hyponatraemia",
        ),
        ("hands swollen like balloons after drinking loads of water in the race", "hyponatraemia"),
        # families of phrasing, one pattern with alternatives each (2026-12-07)
        ("my left calf has gone fat and warm since sunday", "dvt"),
        ("thigh ballooned up and it's hot, only the one side", "dvt"),
        ("I'm weak all over since the 50k", "rhabdomyolysis"),
        ("so weak after the race I struggled to turn the key in the door", "rhabdomyolysis"),
        (
            "My calf cramped at the last aid station, then I drove the whole way home from "
            "the race and now, an hour later, it still won't release",
            "long-cramp",
        ),
        ("my mate was on the grass twitching for a minute after the finish", "seizure"),
        (
            "after the race I couldn't find my way back to the car I parked an hour before",
            "confusion",
        ),
        ("my calves cramped and then I was muddled for a bit", "confusion"),
        ("a stabbing feeling in my chest at the top of the hill", "chest-pain"),
        ("my breastbone aches when I run hard", "chest-pain"),
        ("I couldn't get my breath back for ages after a slow jog", "breathless"),
        ("felt weird then hit the deck at mile 12", "fainting-collapse"),
        ("my skin felt scorching and there was no sweat at all", "heatstroke"),
        ("my wee was the colour of stout after the 50k", "dark-urine"),
        ("my chest felt like it was being pushed in on the climb", "chest-pain"),
        ("my left arm went heavy and dead on the last mile", "pain-spreading"),
        ("I couldn't get air into my lungs on a gentle jog", "breathless"),
        ("woke up with marshals standing over me at mile 9", "fainting-collapse"),
        ("I came to at the side of the road and couldn't remember how I got there", "confusion"),
        (
            "my husband couldn't work out his own pin at the cash machine after the ultra",
            "confusion",
        ),
        ("he was dazed after the race and not answering us", "confusion"),
        ("too weak to carry my bag home after the marathon", "rhabdomyolysis"),
        ("drank loads of water and now my head is thumping", "hyponatraemia"),
        ("the cramp has been there for hours since the race", "long-cramp"),
        ("my pulse was galloping on the climb and I went all giddy", "heart-racing-dizzy"),
        ("the room went sideways at the end of my tempo run", "dizziness"),
        ("he went pale and slumped against the barrier after the finish", "fainting-collapse"),
        ("I came round on the grass with a marshal holding my hand", "fainting-collapse"),
        ("I have no memory of finishing the half, my friend says I kept running", "confusion"),
        ("my brother sat by the bag drop not knowing where he was", "confusion"),
        ("after the 100 miler I was hallucinating for hours", "confusion"),
        ("took on litres at the aid stations and now I'm bloated and being sick", "hyponatraemia"),
        ("so much water on the course, now I'm bloated and feel dreadful", "hyponatraemia"),
        ("my calves cramp and I can't stop them, it has gone on since the finish", "long-cramp"),
        ("an elephant squatting over my chest on the climb, gone at the top", "chest-pain"),
        ("my heart was flopping about in my chest on the hill", "heart-racing-dizzy"),
        (
            "I was jogging along and next I was on the floor with a dog licking my face",
            "fainting-collapse",
        ),
        ("after the marathon my wife kept calling me by our son's name", "confusion"),
        ("I think I overdid the water and now I'm confused and my head hurts", "hyponatraemia"),
        ("lots of water at the stations and now my hands are fat and tight", "hyponatraemia"),
        ("so much pain in my thighs I can't walk, two days after the race", "rhabdomyolysis"),
        ("my thigh went huge and warm after the race, just the one", "dvt"),
        ("my legs folded under me at the line", "fainting-collapse"),
        ("my brother didn't know who he was for a minute after the ultra", "confusion"),
        # how long a cramp lasted is never read as when it began ("minutes in" is harmless)
        ("my cramp lasted 30 minutes in my calf and wouldnt ease", "long-cramp"),
        ("the cramp has gone on 40 minutes straight", "long-cramp"),
        # "which way to turn" is only harmless about advice ("...with my training")
        ("he didnt know which way to turn after the race", "confusion"),
        # misses the final review of 2026-12-08 found, older than that day
        ("he dropped on the track and was shaking all over", "seizure"),
        ("heart going like the clappers and i was all wobbly", "heart-racing-dizzy"),
        ("wee came out like marmite after the marathon", "dark-urine"),
        # a fall without tripping, a mind far away (red-flags-4 misses, 2026-12-08)
        ("she fell over past the finish, not tripped, just went down", "fainting-collapse"),
        ("he didn't get back up for a good while after the line", "fainting-collapse"),
        ("she looks grey and keeps saying she feels far away", "confusion"),
        ("I still feel foggy since the race, like I'm thinking through treacle", "confusion"),
        ("he was carted off at the finish in a wheelchair", "fainting-collapse"),
        ("since the race I'm thinking through treacle", "confusion"),
        ("my head has been foggy since the race and my legs cramp", "confusion"),
        ("I can't remember what happened after the finish", "confusion"),
        # the second review of 2026-12-08: short wordings the first review's cuts lost
        ("calves cramping, brought up my lunch after the tempo", "vomiting-nausea"),
        ("brought up my gel at mile 20 and my calves cramped", "vomiting-nausea"),
        ("brought up my recovery shake and my legs cramped", "vomiting-nausea"),
        ("I went down without tripping at mile 20", "fainting-collapse"),
        ("she didnt get back up for a few minutes", "fainting-collapse"),
        ("I feel far away since the race", "confusion"),
        ("feeling spacey since the race", "confusion"),
        ("didnt know what happened after the line", "confusion"),
        ("hamstrings cramped at 25k and I've felt sick since finishing", "vomiting-nausea"),
        ("weak since the ultra and cant lift his arms", "rhabdomyolysis"),
        ("he couldnt tell me his name after the race", "confusion"),
        # the sixth set's families (2026-12-08): the room spinning however it is put, "feel
        # sick" with a word between, someone nobody can wake
        ("the room's spinning and both calves are cramping", "dizziness"),
        ("once I stopped running the whole room kept spinning", "dizziness"),
        ("calves cramping and I feel really sick", "vomiting-nausea"),
        ("cramped at 30k and felt a bit sick after", "vomiting-nausea"),
        ("hamstring cramping and I'm about to vom", "vomiting-nausea"),
        ("she collapsed into bed after the race and we couldn't wake her", "fainting-collapse"),
        ("my husband won't wake up even when I shook him after his ultra", "fainting-collapse"),
        # signs put in plain words no pattern named: another runner seen to be confused,
        # foaming at the mouth, rings tight from the water drunk, a foot gone dead
        ("he seemed really confused at the finish", "confusion"),
        ("mate was twitching and foaming at the mouth after the race", "seizure"),
        ("my rings are tight after all the water I drank in the ultra", "hyponatraemia"),
        ("my foot feels dead after the cramp", "cramp-numbness"),
        ("my partner says I kept repeating the same question at the finish", "confusion"),
        ("an hour after the race my head started pounding and I threw up", "vomiting-nausea"),
        ("I get headaches and feel a bit foggy after my long runs", "confusion"),
        # signs told by their effect (2026-12-08)
        ("I just folded onto the kerb, people were asking if I was ok", "fainting-collapse"),
        ("woke up in the back of an ambulance after the finish", "fainting-collapse"),
        ("my girlfriend said my lips went a funny blue colour after the sprints", "breathless"),
        ("went to the toilet after the ultra and it looked like Coke", "dark-urine"),
        ("since the marathon my legs won't hold me", "rhabdomyolysis"),
        ("my calf blew up like a balloon on one side after the flight home", "dvt"),
        ("my left leg looks like a sausage compared to the right", "dvt"),
        ("my heart goes haywire on intervals and I see spots", "dizziness"),
        ("it was locked solid for a good 15 mins", "long-cramp"),
        ("couldn't feel my feet after the cramp", "cramp-numbness"),
        ("at mile 8 I had this crushing pain and my arm went numb", "pain-spreading"),
        ("my hamstring cramp lasted forever and I had to lie down", "long-cramp"),
        ("my calves cramped and I felt sick about an hour after the race", "vomiting-nausea"),
        ("got confused about the route in the heat and my skin went dry", "heatstroke"),
        ("he gets out of breath way more than he should, and his ankles are swollen", "breathless"),
        ("heart does a funny skippy thing and my vision goes dim for a sec", "dizziness"),
        ("calf is hard, hot and painful after the long haul flight, on one side", "dvt"),
        # misspelt as other English words: a feint, a minuet
        ("my hart was racing and i felt feint", "fainting-collapse"),
        ("cramp lasted 20 minuets", "long-cramp"),
        ("my calf went red and swollen under my red compression socks", "dvt"),
        ("I haven't slept properly in weeks because of leg cramps", "night-cramps-often"),
        ("my husband went grey and said his arm hurt during parkrun", "pain-spreading"),
        ("felt like an elephant sitting on me halfway up the hill", "chest-pain"),
        ("my mate drank loads of water in the marathon and now he's having a fit", "seizure"),
        ("I awoke with my calf cramping", "night-cramps"),
        # muscle pain worse than soreness should be, or worse days later
        ("my quads are so sore three days later and it's getting worse", "rhabdomyolysis"),
        ("pain in my thighs is off the charts since the bootcamp", "rhabdomyolysis"),
        (
            "arms so sore and swollen after the pull-up challenge I can't bend them",
            "rhabdomyolysis",
        ),
        ("I've had calf pain that's way worse than any DOMS for 4 days now", "rhabdomyolysis"),
        ("the pain in my glutes is unreal since the hill session", "rhabdomyolysis"),
        ("I could barely get any air and my lips looked blue", "breathless"),
        # the words a harmless phrase leaves out do not hide a sign said beside it
        ("my blood pressure was fine but there was blood in my urine after the race", "red-urine"),
        ("the cramps you get at night keep waking me every night", "night-cramps-often"),
        ("my calf went rigid and then he went rigid all over and was jerking", "seizure"),
        ("he had a fit about 10 minutes after finishing the marathon", "seizure"),
        ("my friend had a fit over the weekend after his first marathon", "seizure"),
        ("she's having a fit over by the finish line what do I do", "seizure"),
        ("his leg went rigid and he fell over at the finish", "seizure"),
        (
            "I collapsed into bed after the marathon and my wife couldn't wake me",
            "fainting-collapse",
        ),
        ("she collapsed into bed after the race and now she won't wake up", "fainting-collapse"),
        ("he collapsed on the bed after the marathon and wasn't responding", "fainting-collapse"),
        ("we found him collapsed on the bed after his long run", "fainting-collapse"),
        ("he wasn't responding after the marathon", "fainting-collapse"),
        (
            "I was on the pavement and strangers were asking if I was okay with my face all grey",
            "fainting-collapse",
        ),
        ("she seemed to keep repeating the same question after the race", "confusion"),
        ("after drinking 4 litres of plain water my head is in the fog and pounding", "confusion"),
    ],
)
def test_red_flags_are_caught_however_they_are_put(brain: Brain, message: str, flag: str) -> None:
    assert flag in flags(brain, message)


@pytest.mark.parametrize(
    "message",
    [
        "so confused which electrolyte to buy, i cramp a lot",
        "didn't get back up to speed after the hill, then my calf cramped",
        "fast runners jog the course backwards after a 5k to cheer us on, why do I cramp?",
        "borrowed someone else's car to get to the race and my calf cramped on the drive",
        "i drank 3 litres of water yesterday and have a headache from the heat",
        "i threw my hands up in despair when my hamstring cramped again",
        "everything went black friday sale on running shoes, which help with cramps?",
        "don't know how i got there so fast, new pb, calves cramped after",
        "my new shoes are twice the size of my old ones lol, calf cramps though",
        "so confused about whether to stretch before or after runs for cramps",
        "my hands swell on long runs, should I drink less water?",
        "my calf cramps in the heat and is sore to touch afterwards",
        "confused about how much to drink in the heat",
        "my arm went numb from sleeping on it, unrelated but how do i stop calf cramps",
        "I don't know what happened, my calf seized and I had to walk for a while",
        "took a wrong turn and the marshal turned me round, then my calves cramped",
        "my car broke down so I had to get into someone else's car, then my calf cramped",
        "didn't get back up to pace for a while after the cramp",
        "crumpled in a heap on the sofa after the long run, calves cramping",
        "i get writer's cramp from typing for 10 minutes",
        "calf cramp on a hot day, how do i stop it",
        "no chest pain or anything, just a nasty calf cramp at mile 18",
        # a denial reaches over the examples it gives and the list they are in
        "nothing scary like chest pain or feeling faint, I am fine otherwise, my calf just cramps",
        "no pain anywhere else, not in my chest or arm, just my hamstring cramping",
        "no symptoms such as dizziness, only cramp in my calves",
        # a half marathon, a good night's sleep, a formula
        "my half took two hours and I cramped at 18k",
        "minor aches, nothing a good night's sleep didn't fix, then calf cramps on the long run",
        "confused by the sweat rate formula, do I subtract the water I drank?",
        "not dizzy, just a stitch",
        "my heart rate monitor chest strap rubs",
        # a number and its unit belong together: this is a split time, not the cramp's length
        "My splits went from 9 minutes to 16 minutes for mile 25. Cramps hit at mile 18.",
        # how often, or how long the run was: not how long a cramp lasted
        "she sprays it every 30 minutes on her long runs and hasn't cramped since",
        "the first runs of 25 minutes were hard and my calf cramped near the end",
        "did a 25 minute run and my calf cramped a bit",
        "I had drunk plenty and had two gels, but my calf still cramped at 30k",
        # everyday sentences that share words with a sign's patterns
        "I was giddy with excitement before my first marathon, any tips for calf cramps?",
        "I retched at the finish of my 5k, totally normal for me after a sprint",
        "I entered the wrong name on the race registration form",
        "I barely touched my gels during the half and cramped at mile 10",
        "my trail shoes can't grip on wet rock",
        "my shin pain is getting worse not better, should I rest?",
        "I got lost on a new route last weekend and added 3 miles",
        "I couldn't remember where I put my gels",
        "the water stations were spaced out every 5k so I cramped",
        "my hair went grey training for ultras haha",
        "my garmin didn't respond so I lost my splits",
        "the advice on electrolytes doesn't make sense to me",
        "my watch doesn't recognise my heart rate strap",
        "dry heave at the end of intervals, then fine",
        "I'm sick of cramping at mile 20 of every marathon",
        "pickle juice makes you vomit, should I take it before the finish?",
        "there was total fog on the course and my calves cramped",
        "drink plain water or electrolytes? I often get a headache after long runs",
        "my jaw dropped at my finish time, but my calf cramped at 30k",
        "only faint praise from the coach, and a stitch on every tempo",
        "it was foggy after the race so we drove home slowly, how do i stop calf cramps",
        "I didn't trip, I just fell over my own feet laughing lol. anyway calf cramps?",
        "my mind felt far away from running this week, cramps though",
        "I never got back up to my old pace after the cramp",
        "my coach brought up hydration at lunch, what do you think about cramps",
        # the review of 2026-12-08: the same words, no sign
        "the stretcher bearers at the finish carted off the barriers, cramp in my calf",
        "the finish felt so far away and my calves cramped at mile 22",
        "it felt foggy and cold at the race, then my calf cramped",
        "I don't know what happened at the finish line, my calf just locked",
        "my coach brought up my gel timing, could that cause cramps?",
        "I went down the stairs without tripping but my calf cramped",
        "I went over the route without tripping on roots, still got a cramp",
        "my physio brought up my food intake, do cramps relate to food?",
        "I don't know what happened after 30k, my legs just died and cramped",
        "I never got back up for another run that week because of cramps",
        "she brought up the subject of gels, do they stop cramps",
        "my race number was crumpled and soggy, any tips for cramps",
        "a dizzying choice of electrolyte tabs, which one stops cramps?",
        "ran through a power blackout with a head torch and got a stitch",
        "i've gone numb to the pain of cramps after ten marathons",
        # everyday words of a pattern a sentence apart describe nothing
        "I and my teammates had cramps while we played Friday night. "
        "I drank water all through the week.",
        "it feels like something falling out. At its worst I have to hold it in.",
        # a third set's patterns, kept to the sign (review, 2026-12-03)
        "I went out for seconds at the pasta party, will that help with cramps",
        "I feel muddled about heart rate zones, which should I use",
        "the instructions stopped making sense after week 3",
        "my watch strap digging into my wrist on long runs",
        "my old shoes felt weak and useless on trails",
        "threw up twice on the bus on the way to the race",
        "my calf feels tight after running in hot weather",
        "should I buy a bigger size, my left foot is longer than the right",
        "my calf cramped and stayed knotted for a few seconds then relaxed",
        # look-alikes of phrasings in the fourth set: narrower patterns would fire on these
        "couch to 5k week 2, I'm puffed out even on an easy jog, normal?",
        "my wife carted me off to the running shop for new shoes",
        "my race number just crumpled in the rain",
        "the parkrun was heaving this week, going to try a quieter one",
        "my coach brought up my lunch time runs, do they cause cramps",
        "I was sick as a dog with flu last week, when can I run again",
        "a Guinness after the race always makes me wee loads",
        "a fry-up with sausages gave me a headache before the race",
        "this jacket is warmer than the other one, which should I race in",
        "the rain didn't ease for half an hour so we waited in the car",
        "sorry for repeating the same question but is magnesium good for cramps?",
        "I always feel foggy for the first mile, need more coffee",
        "half marathon in 2 hours 15 minutes, hamstring cramp at 18k, why?",
        "I was confused about which gel to take after the run",
        # someone else's illness long ago
        "My grandad had a DVT years ago after a flight. Do compression socks stop cramps?",
        "my mum had a heart attack back in 2015, she's fine now. why do my calves cramp?",
        "my dad had a heart attack at 70 (he's fine). are calf cramps ever a heart thing?",
        "my nan had a clot in her leg in the 90s so I wear flight socks, do they help cramp?",
        # minutes that are not how long a cramp lasted
        "I'm giving a 10 minute talk about cramps at our club, what should I cover?",
        "my face goes red after runs, back to normal in 10 mins. why do my feet cramp?",
        # a not_when in red_flags.yaml explains the sign away
        "had beetroot juice before the long run and my wee went pink, normal?",
        "a cramp woke me last night but it was gone in seconds, how do I stop them?",
        # far apart in a long post, two words describe different things
        "I ate a gel every 40 minutes. The course was flat and I felt great. "
        "The crowds were loud. My calf started to cramp at mile 20.",
        # a chest that is furniture or a cold, a heart attack as a figure of speech, a cramp
        # from lying awkwardly, muddled advice, laces tied too tight (2026-12-07)
        "we moved a chest of drawers and my hamstring cramped on the stairs",
        "my coach says I'll give myself a heart attack doing doubles, how do I stop cramps?",
        "my back cramped up from sleeping awkwardly in the tent before the trail race",
        "there's a lot of confusion over hydration, how much should I drink?",
        "my toes go numb when my laces are too tight, how should I lace for long runs?",
        "I had a heavy chest cold last month, can that cause cramps?",
        "did chest day then an easy run, my legs felt heavy, normal?",
        "I'm dizzy with excitement for Sunday's marathon, any last tips for cramps?",
        "I nearly had a heart attack when I saw my split at halfway, then my calf cramped",
        "everyone said I would collapse if I tried an ultra, but I finished, why do my feet cramp?",
        "I dreamt I collapsed in the marathon the night before, nerves I guess",
        # weak as in not strong yet, a plane ticket, a corner: the families' patterns stay narrow
        "so weak willed, I can't stop eating sweets before races",
        "I'm too weak to hold a plank for a minute, will core work stop cramps?",
        "I was so weak on the hills, couldn't keep up with the group",
        "couldn't get air tickets for the Boston marathon lol",
        "woke up early and people were already around the start area",
        "I didn't know how I got there so quick, PB by 2 minutes!",
        "came round the corner and the medical tent was right there, so I got my blister taped",
        "I've read ultra runners hallucinate, is that true?",
        "my plantar fasciitis pain is worse than any cramp I've had, what should I do?",
        "collapsed into a chair after parkrun with cake, then my calves cramped",
        "about 20 minutes in my calf cramped, how do i stretch it",
        "honestly dont know which way to turn with my training plan",
        "my legs feel weak on hills, how do i lift my knees more",
        "I was shaking all over with nerves at the start line",
        "couldnt remember the name of the gel i used, any ideas",
        # resting after a hard run, exercise on a bike, ordinary soreness (2026-12-08)
        "collapsed into bed after the marathon and slept for ten hours",
        "my coach says I'll collapse into bed after this block, tips for cramps?",
        "did a spin class in the back room and my calf cramped",
        "no other issues, I feel fine afterwards apart from normal soreness",
        "just normal soreness after my long run, nothing unusual",
        "I couldn't wake up this morning, so tired after the marathon",
        "I was foaming at the mouth with rage when they cancelled the race",
        "my feet felt dead tired after the marathon and my calves cramped",
        "my legs feel dead after the race and I cramped at mile 20",
        "the strap on my water bottle is too tight, any tips for cramps?",
        "sorry to keep repeating the same question, but why do my calves cramp?",
        "my coach keeps repeating the same things about hydration, is he right about cramps?",
        "it was foggy this morning and I got a headache from the cold, then my calves cramped",
        "I have collapsed arches, do insoles help cramps?",
        "my blood sodium was normal at the medical tent, and my urine test was fine",
        "it felt like the calf cramp you get in the middle of the night, but on my run",
        "people kept asking if I was ok with the pace in the group run",
        "I woke up at 5 for the race, the paramedics were already at the start",
        "my calf locked solid 15 minutes into the run, how do I stretch it",
        "the loo queue was long, had a cola after, then my calf cramped",
        "I see spots of rain on my glasses, does rain cause cramps",
        "home, shower, collapsed on the bed for a nap, felt great after",
        "my legs won't hold me up on the last hill, how do I build strength",
        "I get a headache when it's foggy and damp, does weather cause cramps?",
        "my alarm couldn't wake him, he slept through the parkrun",
        "cramps every race, honestly I feel so sick about it",
        "my toes feel dead cold on winter runs, is that why they cramp?",
        "I put red kt tape on my calf, does it help cramps?",
        "my red compression socks squeeze my calves, do they stop cramps?",
        "not slept much before the race, then cramped at 30k",
        "I was dizzy with nerves before the start, then a small cramp at the end",
        "my wife is having a fit about my race fees lol, anyway cramps?",
        "people asked if I was ok when I stopped to stretch my calf cramp",
        "she looked confused when I told her my marathon time haha",
        "I awoke with tight calves after the long run",
        "the pain was unreal at mile 20 but I finished and it's fine now",
        "sore calves for a day or two after hills, getting better now",
        "my ankle is swollen and I can't bend it after rolling it on a trail",
        "vague soreness all day behind the knee cap that gets worse when he runs",
        "my DOMS is always worse 2 days later, is that normal",
        "I felt like I was flying for the first 10k, then my legs got hot and cramped",
        "I run up 20 flights of stairs and my calves get hot and crampy",
        "it was a grey morning and my arms ached from the gym so I cut the run short",
        "I was crushing it on the hills until a pain in my shoulder from my arm swing",
        "sorry if I keep repeating the same question but how do I stop calf cramps",
        "my wife is having a fit that I entered another marathon, how do I stop calf cramps",
        "my son is having a fit of giggles watching me stretch my cramped calf",
        "I drink cola during ultras and need the toilet like every hour, does it cause cramps",
        "that race went on forever, cramped at the end",
        "I had a sausage roll like an idiot before my long run and my legs cramped",
        "I got a calf cramp 20 minuets into my run",
        "I felt a faint twinge in my calf",
        "I felt a feint twinge in my calf",
        "the race app isn't responding",
        "I won't wake up in time for parkrun",
        "my legs weren't responding at mile 20",
    ],
)
def test_everyday_words_raise_no_alarm(brain: Brain, message: str) -> None:
    assert flags(brain, message) == set()


def test_a_denied_sign_is_still_caught_when_another_is_affirmed(brain: Brain) -> None:
    assert "dizziness" in flags(brain, "no chest pain but i feel dizzy after the race")


def test_emergencies_come_before_doctor_signs(brain: Brain) -> None:
    screening = brain.screen.screen("my calf is swollen and hot and now i have chest pain")
    assert screening.emergency
    assert screening.flags[0].level == "emergency"


@pytest.mark.parametrize(
    ("message", "flag"),
    [
        ("when I stopped running it was like being on a boat, I had to hold the wall", "dizziness"),
        ("I could barely get any air in and my mouth went a bluish colour", "breathless"),
        (
            "my daughter got really hot and floppy and wasn't answering properly after sports day",
            "heatstroke",
        ),
        (
            "I drank water at every single aid station and now my rings are stuck and I feel awful",
            "hyponatraemia",
        ),
        # said in none of a pattern's words, close to the examples written as paraphrases
        (
            "my husband just wasn't himself after the race, vague and not following anything",
            "confusion",
        ),
        (
            "my legs hurt so badly I can barely shuffle, nothing like the usual soreness",
            "rhabdomyolysis",
        ),
        (
            "sitting on the sofa an hour after my run and I still can't get a proper breath",
            "breathless",
        ),
        (
            "I was jogging and then suddenly there were people above me asking if I was alright",
            "fainting-collapse",
        ),
        (
            "muscle pain keeps increasing since friday's session rather than easing",
            "rhabdomyolysis",
        ),
    ],
)
def test_the_meaning_screen_catches_what_no_pattern_names(
    brain: Brain, message: str, flag: str
) -> None:
    patterns_only = Brain(brain.knowledge, semantic=False)
    assert not patterns_only.screen.screen(message)
    assert flag in flags(brain, message)


def test_every_shipped_pattern_and_example_screens_as_its_own_sign(brain: Brain) -> None:
    missed = [
        (flag.id, text)
        for flag in brain.knowledge.red_flags.red_flags
        for text in (*flag.phrases, *flag.examples)
        if flag.id not in flags(brain, text)
    ]
    assert not missed


@pytest.mark.parametrize(
    "message",
    [
        "my friend didn't recognise me at the finish",
        "after the race I could not think straight",
        "no pain at first then chest pain hit at mile 10",
        "no pain in my legs but chest pain now",
        "I've never felt chest pain like this before",
        "I didn't feel the chest pain until I stopped running",
        "not sure if it's chest pain",
        "no idea why my pee is brown",
        "calf cramped up and it's been 20 minutes",
        "a 30-minute cramp in my calf",
        "on the treadmill everything went dark and I hit the floor",
        "or " * 60 + "dizzy",
    ],
)
def test_a_denial_only_denies_what_it_stands_before(brain: Brain, message: str) -> None:
    assert brain.screen.screen(message)


def test_asking_how_to_sweat_less_is_no_heatstroke(brain: Brain) -> None:
    assert not brain.screen.screen("how do I stop sweating so much on runs")


def test_red_flags_late_in_a_long_post_are_still_read(brain: Brain) -> None:
    assert brain.screen.screen("ok\n" * 120 + "I passed out after the race")


# --- the RedFlagScreen read directly: a few signs, patterns only unless said ------------

SIGNS = red_flag_file(
    {"id": "chest-pain", "level": "emergency", "patterns": ["chest pain"]},
    {"id": "dizziness", "level": "doctor", "patterns": ["dizzy"]},
    {"id": "long-cramp", "level": "doctor", "patterns": ["cramp 20 minutes"]},
    {"id": "racing-heart", "level": "emergency", "patterns": ["heart racing"]},
    {"id": "cramp-lasting", "level": "doctor", "patterns": ["cramp still there"]},
    harmless=["writer's cramp", "heart rate", "minutes into", "cramp my style"],
)
# As the Brain builds it: the patterns' words are known words, so their misspellings are fixed.
READ = normalizer(
    *(text for _, text in EXAMPLES), *(p for f in SIGNS.red_flags for p in f.patterns)
)
PATTERNS = RedFlagScreen(SIGNS, READ, None, NO_ANSWERS)


def screened(text: str, screen: RedFlagScreen = PATTERNS) -> list[str]:
    return [flag.id for flag in screen.screen(text).flags]


@pytest.mark.parametrize(
    ("message", "signs"),
    [
        ("chest pain", ["chest-pain"]),
        ("CHEST PAIN!!!", ["chest-pain"]),
        ("a pain in my chest", ["chest-pain"]),  # the words in any order
        ("chest painn", ["chest-pain"]),  # misspelt
        ("ch\u200best pain", ["chest-pain"]),
        # the words within the pattern's length + 10 positions
        ("chest " + "very " * 10 + "pain", ["chest-pain"]),
        ("chest " + "very " * 11 + "pain", []),
        # in one breath: up to three sentences read together, not four
        ("My chest. It is pain.", ["chest-pain"]),
        ("My chest. Ok. Ok. Pain.", []),
        # emergencies first, whatever the order they were said in
        ("dizzy and then chest pain", ["chest-pain", "dizziness"]),
        # an everyday word of a pattern counts only next to another of its words
        ("the cramp is still there", ["cramp-lasting"]),
        ("my calf cramped at mile 20 and an hour later it is still there", ["cramp-lasting"]),
        ("sorry, another post on why I cramped. There are answers, but still", []),
    ],
)
def test_the_word_window(message: str, signs: list[str]) -> None:
    assert screened(message) == signs


@pytest.mark.parametrize(
    ("message", "signs"),
    [
        ("no chest pain", []),
        ("without chest pain", []),
        # only determiners may stand between a denial and what it denies
        ("not any chest pain", []),
        ("no real chest pain", []),
        ("i didn't feel the chest pain until i stopped", ["chest-pain"]),
        ("i didn't feel chest pain until i stopped", ["chest-pain"]),
        ("no chest pain till mile 20", ["chest-pain"]),
        ("i dont feel dizzy", []),
        # a denial reaches the next item of a short list, not a later sentence
        ("no chest pain or dizzy", []),
        ("no chest pain or feeling really dizzy", ["dizziness"]),
        # ...or an item denied over an example or determiners, never a denial further back
        ("nothing like chest pain or feeling dizzy", []),
        ("no real chest pain or dizzy", []),
        ("no cramps, just dizzy or chest pain", ["chest-pain", "dizziness"]),
        ("no cramp, then heart or chest pain", ["chest-pain"]),
        ("no chest pain, then very dizzy", ["dizziness"]),
        # a denied mention leaves the affirmed one standing
        ("no pain at first then chest pain", ["chest-pain"]),
        # "never" describes a first time, it denies nothing
        ("never felt chest pain like this", ["chest-pain"]),
        # a denial reaches over an example it gives, not over how a sign feels
        ("nothing scary like chest pain", []),
        ("not sure, feels like my chest pain is worse", ["chest-pain"]),
        ("i dont know, feels like chest pain", ["chest-pain"]),
        # a "no" answering a question denies nothing after it; a denial after it still does
        ("No, my chest pain is worse", ["chest-pain"]),
        ("No, in my chest, a sharp pain", ["chest-pain"]),
        ("Nope - my chest pain", ["chest-pain"]),
        ("No, no chest pain", []),
        # a denied "feel like I'm going to": who and when stand between, never what
        ("i dont feel like im going to be dizzy", []),
        ("I didn't feel like I was about to get dizzy", []),
        ("i feel like im going to be dizzy", ["dizziness"]),
        ("i dont know, i feel like im going to be dizzy", ["dizziness"]),
        ("i didnt feel like running and then i was dizzy", ["dizziness"]),
        # a second subject starts a clause of its own: the sign after it is not denied
        ("didnt feel like i would, i was dizzy the whole way home", ["dizziness"]),
        ("i dont feel like im gonna im dizzy and cramping", ["dizziness"]),
        # "about to" needs its words: wanting to go is not about to be dizzy
        ("didnt feel like going, was dizzy all day", ["dizziness"]),
        ("didnt feel like i would, was dizzy the whole way", ["dizziness"]),
    ],
)
def test_a_denial_before_a_sign(message: str, signs: list[str]) -> None:
    assert screened(message) == signs


@pytest.mark.parametrize(
    ("message", "signs"),
    [
        ("cramp for 20 minutes", ["long-cramp"]),
        ("my calf cramped for 20 minutes", ["long-cramp"]),
        ("a cramp lasting 20 long minutes", ["long-cramp"]),
        # the number belongs to its unit: one word between them at most
        ("a cramp for 20 very long minutes", []),
        # the pattern's own number: 25 is not 20
        ("cramp for 25 minutes", []),
        # how often, or how long the run was, is not how long the cramp lasted
        ("a cramp every 20 minutes", []),
        ("each 20 minutes a cramp", []),
        ("a 20 minute run and then a cramp", []),
        ("runs of 20 minutes and my calf cramped", []),
        ("cramped for 20 minutes, run abandoned", ["long-cramp"]),
        # when it began, not how long it lasted...
        ("my calf started to cramp after 20 minutes", []),
        ("a side cramp kicking in after about 20 minutes", []),
        ("my 10k took 1 hour 20 minutes and I got a cramp at 8k", []),
        # ...unless it is still going, or that long
        ("my calf was still cramping after 20 minutes", ["long-cramp"]),
        ("my calf cramp had not gone after 20 minutes", ["long-cramp"]),
        ("calf cramp not easing after 20 minutes", ["long-cramp"]),
        ("a cramp for about 20 minutes", ["long-cramp"]),
        ("my calf cramped for 1 hour 20 minutes", ["long-cramp"]),
    ],
)
def test_how_long_a_cramp_lasted(message: str, signs: list[str]) -> None:
    assert screened(message) == signs


@pytest.mark.parametrize(
    ("message", "signs"),
    [
        # the moderators' harmless phrases are taken out before any pattern is read
        ("i get writer's cramp after 20 minutes of typing", []),
        ("20 minutes into the run my calf cramped", []),
        ("my heart rate is racing", []),
        ("my heart is racing", ["racing-heart"]),
        # figurative: "cramp my style" is no cramp, however long it lasted
        ("rain for 20 minutes would cramp my style", []),
        ("my calf would cramp for 20 minutes", ["long-cramp"]),
    ],
)
def test_harmless_phrases_are_no_sign(message: str, signs: list[str]) -> None:
    assert screened(message) == signs


BREATHLESS = red_flag_file(
    {
        "id": "breathless",
        "level": "emergency",
        "patterns": ["cannot breathe"],
        "examples": ["my lips turned blue and i could barely get any air"],
    }
)
SAID_AS_THE_EXAMPLE = "my lips turned blue and i could barely get any air"
SAID_OTHERWISE = "i could hardly get air and my lips went bluish"


@pytest.mark.parametrize(
    ("message", "answers", "limits", "signs"),
    [
        # as close as the certain limit to an example: a sign, however close an answer is
        (SAID_AS_THE_EXAMPLE, [SAID_AS_THE_EXAMPLE], ScreenLimits(), ["breathless"]),
        # close, and closer to the sign than to any answer by the contrast: a sign
        (SAID_OTHERWISE, [], ScreenLimits(), ["breathless"]),
        (SAID_AS_THE_EXAMPLE, [], ScreenLimits(certain=1.1), ["breathless"]),
        # close, but as close to a question runbot answers: not a sign
        (SAID_OTHERWISE, [SAID_OTHERWISE], ScreenLimits(), []),
        (SAID_AS_THE_EXAMPLE, [SAID_AS_THE_EXAMPLE], ScreenLimits(certain=1.1), []),
        # not close at all
        ("how do i stretch out a cramp", [], ScreenLimits(), []),
    ],
)
def test_the_meaning_screen(
    message: str, answers: list[str], limits: ScreenLimits, signs: list[str]
) -> None:
    read = normalizer()
    embedder = shared_embedder()
    vectors = embedder.embed([read.corrected(text) for text in answers])
    answered = SemanticIndex(vectors, np.asarray([0, len(answers)], dtype=np.int64))
    screen = RedFlagScreen(BREATHLESS, read, embedder, answered, limits)
    assert screened(message, screen) == signs


def test_without_a_model_only_patterns_are_read() -> None:
    screen = RedFlagScreen(BREATHLESS, normalizer(), None, NO_ANSWERS)
    assert screened(SAID_AS_THE_EXAMPLE, screen) == []
    assert screened("i cannot breathe", screen) == ["breathless"]


def test_signs_are_named_in_the_moderators_order_in_every_process() -> None:
    # Python salts string hashes per process: an order read off a set of words would change.
    script = (
        "from pathlib import Path\n"
        "from bot.answering import Brain\n"
        "from bot.knowledge.load import load_knowledge\n"
        "brain = Brain(load_knowledge(Path('knowledge')), semantic=False)\n"
        "print([f.id for f in brain.screen.screen('chest pain and I feel dizzy').flags])\n"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "2", "3")
    }
    assert seen == {"['chest-pain', 'dizziness']\n"}


# A word of a pattern may list alternatives: one line for a family of phrasings.
SWELLING = red_flag_file(
    {"id": "dvt", "level": "doctor", "patterns": ["calf|thigh swollen|puffy|fat hot|warm|red"]},
    {
        "id": "cramp-numbness",
        "level": "doctor",
        "patterns": ["numb foot"],
        "not_when": ["laces|shoes too tight"],
    },
)
SWELLING_SCREEN = RedFlagScreen(
    SWELLING, normalizer(*(p for f in SWELLING.red_flags for p in f.phrases)), None, NO_ANSWERS
)


@pytest.mark.parametrize(
    ("message", "signs"),
    [
        ("my calf is swollen and hot", ["dvt"]),
        ("my right thigh has gone all fat and warm", ["dvt"]),
        ("the calf is puffy and red since the race", ["dvt"]),
        # every word of the pattern is still needed, one of each word's alternatives
        ("my calf is swollen", []),
        ("hot day, my calf cramped", []),
        ("my calf and thigh are hot", []),
        # not_when phrases may list alternatives too
        ("my foot went numb, my shoes were too tight", []),
        ("my foot went numb, my laces were too tight", []),
        ("my foot went numb after the cramp", ["cramp-numbness"]),
    ],
)
def test_a_pattern_word_may_list_alternatives(message: str, signs: list[str]) -> None:
    assert screened(message, SWELLING_SCREEN) == signs


def test_a_pattern_with_alternatives_stands_for_every_phrase_of_them() -> None:
    (flag, _) = SWELLING.red_flags
    assert flag.phrases == [
        f"{part} {swelling} {heat}"
        for part in ("calf", "thigh")
        for swelling in ("swollen", "puffy", "fat")
        for heat in ("hot", "warm", "red")
    ]
