"""Development reports (synthetic, neutral) in several agencies' and ministries' styles, with the claims the
pipeline must read from each: (kind, value, qualifier, period, since, as_of, place name or None)."""

import datetime as dt

D = dt.date
STK, HADRUT, MARTUNI, SHUSHI = "Stepanakert / Khankendi", "Hadrut", "Martuni / Khojavend", "Shushi / Shusha"
NK = "Nagorno-Karabakh (peacekeeping area)"

REPORTS = [
    # 1. wire story, dateline without a year, daily and running total in one text, word number for buses
    ("wire-en-1", "en", D(2020, 11, 22), """MOSCOW, November 22. /Wire/. About 1,300 refugees returned to Stepanakert on Sunday in Thirty-two buses, the Defence Ministry spokesman said. In total, more than 11,000 people have returned since November 14, he added.""",
     [("returned", 1300, "about", "day", None, D(2020, 11, 22), STK),
      ("buses", 32, "exact", "day", None, D(2020, 11, 22), STK),
      ("returned", 11000, "more_than", "cumulative", D(2020, 11, 14), D(2020, 11, 22), None)]),
    # 2. Russian wire with тыс. and a weekday
    ("wire-ru-1", "ru", D(2020, 12, 7), """СТЕПАНАКЕРТ, 7 декабря. /Агентство/. В воскресенье в Степанакерт вернулись 859 человек, сообщили в Минобороны России. Всего с 14 ноября вернулись более 34 тыс. беженцев.""",
     [("returned", 859, "exact", "day", None, D(2020, 12, 6), STK),
      ("returned", 34000, "more_than", "cumulative", D(2020, 11, 14), D(2020, 12, 7), None)]),
    # 3. ministry bulletin in Russian, past 24 hours, posts, zero violations, patrols
    ("bulletin-ru-1", "ru", D(2020, 12, 9), """Информационный бюллетень.
Миротворцы несут службу на 23 наблюдательных постах. За прошедшие сутки нарушений режима прекращения огня не зафиксировано. За сутки под охраной миротворцев в Нагорный Карабах вернулись 1136 человек, всего — более 36 тыс. человек.""",
     [("observation_posts", 23, "exact", "day", None, D(2020, 12, 9), None),
      ("violations", 0, "exact", "day", None, D(2020, 12, 9), None),
      ("returned", 1136, "exact", "day", None, D(2020, 12, 9), NK),
      ("returned", 36000, "more_than", "cumulative", None, D(2020, 12, 9), None)]),
    # 4. a party's statement: violations near a place, casualties as words
    ("party-en-1", "en", D(2020, 12, 13), """The Defence Ministry of the Azerbaijani side said that the ceasefire was violated 4 times near Hadrut on Saturday. Two servicemen were wounded and one was killed, the ministry added.""",
     [("violations", 4, "exact", "day", None, D(2020, 12, 12), HADRUT),
      ("wounded", 2, "exact", "day", None, D(2020, 12, 12), HADRUT),
      ("killed", 1, "exact", "day", None, D(2020, 12, 12), HADRUT)]),
    # 5. a relayed report citing another outlet; "some"; yesterday
    ("relayed-en-1", "en", D(2020, 11, 23), """Agency reported, citing the peacekeeping contingent headquarters, that some 9,000 people have returned since November 14. Yesterday 1,700 people came back in 40 buses.""",
     [("returned", 9000, "about", "cumulative", D(2020, 11, 14), D(2020, 11, 23), None),
      ("returned", 1700, "exact", "day", None, D(2020, 11, 22), None),
      ("buses", 40, "exact", "day", None, D(2020, 11, 22), None)]),
    # 6. exchange of prisoners, Russian word numbers
    ("party-ru-1", "ru", D(2020, 12, 14), """По данным Государственной комиссии по делам военнопленных, в понедельник в результате обмена были возвращены сорок четыре военнопленных. Другой стороне переданы двенадцать пленных.""",
     [("prisoners_exchanged", 44, "exact", "day", None, D(2020, 12, 14), None),
      ("prisoners_exchanged", 12, "exact", "day", None, D(2020, 12, 14), None)]),
    # 7. remains recovered and handed over, with a place in an Azerbaijani spelling
    ("icrc-en-1", "en", D(2020, 12, 5), """Search teams recovered 35 bodies near Xocavənd on Friday. A further 12 bodies of the fallen were handed over to the families through the Red Cross.""",
     [("remains_recovered", 35, "exact", "day", None, D(2020, 12, 4), MARTUNI),
      ("remains_handed_over", 12, "exact", "day", None, D(2020, 12, 4), None)]),
    # 8. troops and posts in a profile piece; "almost"
    ("feature-en-1", "en", D(2020, 12, 1), """The contingent of about 1,960 servicemen has been deployed in Nagorno-Karabakh. It mans 23 observation posts. Almost 30,000 people have returned so far, officials said.""",
     [("troops", 1960, "about", "day", None, D(2020, 12, 1), NK),
      ("observation_posts", 23, "exact", "day", None, D(2020, 12, 1), None),
      ("returned", 30000, "almost", "cumulative", None, D(2020, 12, 1), None)]),
    # 9. cargo convoy in Russian with decimal thousand and tonnes
    ("bulletin-ru-2", "ru", D(2020, 11, 30), """ГОРИС, 30 ноября. Под охраной миротворцев из Гориса в Степанакерт прошли 3 колонны с гуманитарным грузом общим весом 120 тонн. Вчера в Шушу вернулись около 1,3 тыс. человек.""",
     [("convoys", 3, "exact", "day", None, D(2020, 11, 30), STK),
      ("cargo_tonnes", 120, "exact", "day", None, D(2020, 11, 30), STK),
      ("returned", 1300, "about", "day", None, D(2020, 11, 29), SHUSHI)]),
    # 10. two figures for the same thing in one text from two speakers, "at least", "fewer than"
    ("wire-en-2", "en", D(2020, 12, 15), """BAKU, Dec 15 (Agency) - At least 3 ceasefire violations were recorded near Martuni on Monday, the Azerbaijani Defence Ministry said. The Armenian Defence Ministry said fewer than 2 violations took place near Martuni that day.""",
     [("violations", 3, "at_least", "day", None, D(2020, 12, 14), MARTUNI),
      ("violations", 2, "fewer_than", "day", None, D(2020, 12, 14), MARTUNI)]),
    # 11. "on December 11", a date with a year elsewhere, and "more than eleven thousand" in words
    ("bulletin-en-1", "en", D(2020, 12, 12), """Bulletin of the peacekeeping contingent, 12 December 2020. On December 11, 573 people returned in 14 buses. More than eleven thousand tonnes of cargo have been delivered since the start of the mission.""",
     [("returned", 573, "exact", "day", None, D(2020, 12, 11), None),
      ("buses", 14, "exact", "day", None, D(2020, 12, 11), None),
      ("cargo_tonnes", 11000, "more_than", "cumulative", None, D(2020, 12, 12), None)]),
    # 12. Russian party statement, killed and wounded, Armenian place name spelling
    ("party-ru-2", "ru", D(2020, 12, 28), """Как заявили в министерстве обороны армянской стороны, вчера в районе Гадрута в результате обстрела погибли 6 военнослужащих, ранен 1 военнослужащий.""",
     [("killed", 6, "exact", "day", None, D(2020, 12, 27), HADRUT),
      ("wounded", 1, "exact", "day", None, D(2020, 12, 27), HADRUT)]),
]
