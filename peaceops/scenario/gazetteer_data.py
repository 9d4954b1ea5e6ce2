"""The scenario's places. Coordinates are approximate (WGS84); names in Armenian, Azerbaijani, Russian, English.

Where the parties name a place differently, the canonical name carries both, in alphabetical order of the
parties' own usage as commonly reported (Armenian usage first, then Azerbaijani): a fixed convention, not a claim.
"""

from __future__ import annotations

# key: (canonical name, kind, parent key, lat, lon, population, {language: [aliases]})
COUNTRIES = {
    "armenia": ("Armenia", "country", None, None, None, None,
                {"hy": ["Հայաստան"], "az": ["Ermənistan"], "ru": ["Армения"], "en": ["Armenia"]}),
    "azerbaijan": ("Azerbaijan", "country", None, None, None, None,
                   {"hy": ["Ադրբեջան"], "az": ["Azərbaycan"], "ru": ["Азербайджан"], "en": ["Azerbaijan"]}),
}

REGIONS = {
    # The area of the peacekeeping operation, neutral wording; districts below it for counts "by district".
    "nk": ("Nagorno-Karabakh (peacekeeping area)", "region", None, 39.82, 46.75, None,
           {"en": ["Nagorno-Karabakh"], "ru": ["Нагорный Карабах"], "hy": ["Լեռնային Ղարաբաղ"],
            "az": ["Dağlıq Qarabağ"]}),
    "d_stepanakert": ("Stepanakert / Khankendi city", "region", "nk", None, None, None,
                      {"ru": ["город Степанакерт / Ханкенди"]}),
    "d_askeran": ("Askeran / Asgaran district", "region", "nk", None, None, None,
                  {"ru": ["Аскеранский / Асгаранский район"]}),
    "d_martakert": ("Martakert / Aghdara district", "region", "nk", None, None, None,
                    {"ru": ["Мартакертский / Агдеринский район"]}),
    "d_martuni": ("Martuni / Khojavend district", "region", "nk", None, None, None,
                  {"ru": ["Мартунинский / Ходжавендский район"]}),
    "d_hadrut": ("Hadrut district", "region", "nk", None, None, None, {"ru": ["Гадрутский район"]}),
    "d_shushi": ("Shushi / Shusha district", "region", "nk", None, None, None,
                 {"ru": ["Шушинский район"]}),
    "d_berdzor": ("Berdzor / Lachin district", "region", "nk", None, None, None,
                  {"ru": ["Бердзорский / Лачинский район"]}),
    "d_karvachar": ("Karvachar / Kalbajar district", "region", "nk", None, None, None,
                    {"ru": ["Карвачарский / Кельбаджарский район"]}),
    "d_aghdam": ("Aghdam district", "region", "nk", None, None, None, {"ru": ["Агдамский район"]}),
    "syunik": ("Syunik province", "region", "armenia", None, None, None,
               {"hy": ["Սյունիք"], "ru": ["Сюник"], "en": ["Syunik"]}),
}

SETTLEMENTS = {
    "stepanakert": ("Stepanakert / Khankendi", "settlement", "d_stepanakert", 39.815, 46.752, 55200,
                    {"hy": ["Ստեփանակերտ"], "az": ["Xankəndi"], "ru": ["Степанакерт", "Ханкенди"],
                     "en": ["Stepanakert", "Khankendi", "Khankandi"]}),
    "shushi": ("Shushi / Shusha", "settlement", "d_shushi", 39.758, 46.749, 4100,
               {"hy": ["Շուշի"], "az": ["Şuşa"], "ru": ["Шуша", "Шуши"], "en": ["Shushi", "Shusha"]}),
    "berdzor": ("Berdzor / Lachin", "settlement", "d_berdzor", 39.640, 46.547, 1900,
                {"hy": ["Բերձոր"], "az": ["Laçın"], "ru": ["Лачин", "Бердзор"], "en": ["Berdzor", "Lachin"]}),
    "goris": ("Goris", "settlement", "syunik", 39.511, 46.338, 20300,
              {"hy": ["Գորիս"], "az": ["Gorus"], "ru": ["Горис"], "en": ["Goris"]}),
    "kornidzor": ("Kornidzor", "settlement", "syunik", 39.469, 46.425, 1200,
                  {"hy": ["Կոռնիձոր"], "ru": ["Корнидзор"], "en": ["Kornidzor"]}),
    "yerevan": ("Yerevan", "settlement", "armenia", 40.183, 44.515, 1086000,
                {"hy": ["Երևան"], "az": ["İrəvan"], "ru": ["Ереван"], "en": ["Yerevan", "Erevan"]}),
    "martuni": ("Martuni / Khojavend", "settlement", "d_martuni", 39.795, 47.113, 5700,
                {"hy": ["Մարտունի"], "az": ["Xocavənd"], "ru": ["Мартуни", "Ходжавенд"],
                 "en": ["Martuni", "Khojavend"]}),
    "martakert": ("Martakert / Aghdara", "settlement", "d_martakert", 40.214, 46.812, 4600,
                  {"hy": ["Մարտակերտ"], "az": ["Ağdərə"], "ru": ["Мартакерт", "Агдере"],
                   "en": ["Martakert", "Aghdara", "Agdere"]}),
    "askeran": ("Askeran / Asgaran", "settlement", "d_askeran", 39.935, 46.830, 2200,
                {"hy": ["Ասկերան"], "az": ["Əsgəran"], "ru": ["Аскеран"], "en": ["Askeran", "Asgaran"]}),
    "hadrut": ("Hadrut", "settlement", "d_hadrut", 39.520, 47.032, 3000,
               {"hy": ["Հադրութ"], "az": ["Hadrut"], "ru": ["Гадрут"], "en": ["Hadrut"]}),
    "karvachar": ("Karvachar / Kalbajar", "settlement", "d_karvachar", 40.105, 46.038, 600,
                  {"hy": ["Քարվաճառ"], "az": ["Kəlbəcər"], "ru": ["Кельбаджар", "Карвачар"],
                   "en": ["Karvachar", "Kalbajar", "Kelbajar"]}),
    "aghdam": ("Aghdam", "settlement", "d_aghdam", 39.993, 46.927, 0,
               {"hy": ["Ակնա"], "az": ["Ağdam"], "ru": ["Агдам"], "en": ["Aghdam", "Akna"]}),
    "dadivank": ("Dadivank", "settlement", "d_karvachar", 40.161, 46.288, 0,
                 {"hy": ["Դադիվանք"], "az": ["Xudavəng"], "ru": ["Дадиванк"], "en": ["Dadivank", "Khudavang"]}),
    "baku": ("Baku", "settlement", "azerbaijan", 40.409, 49.867, 2300000,
             {"hy": ["Բաքու"], "az": ["Bakı"], "ru": ["Баку"], "en": ["Baku"]}),
}

# The corridor road from the gathering point to the main square, in order (returns builds its corridor on these).
CHECKPOINTS = {
    "cp_yerevan": ("Yerevan gathering point", "checkpoint", "yerevan", 40.177, 44.512, None,
                   {"ru": ["Ереван, пункт сбора"]}),
    "cp_goris": ("Goris checkpoint", "checkpoint", "goris", 39.507, 46.352, None, {"ru": ["КПП Горис"]}),
    "cp_kornidzor": ("Kornidzor checkpoint", "checkpoint", "kornidzor", 39.471, 46.440, None,
                     {"ru": ["КПП Корнидзор"]}),
    "cp_berdzor": ("Berdzor / Lachin checkpoint", "checkpoint", "berdzor", 39.636, 46.560, None,
                   {"ru": ["КПП Бердзор / Лачин"]}),
    "cp_shushi": ("Shushi / Shusha checkpoint", "checkpoint", "shushi", 39.763, 46.760, None,
                  {"ru": ["КПП Шуши / Шуша"]}),
    "cp_stepanakert": ("Stepanakert / Khankendi main square", "checkpoint", "stepanakert", 39.8155, 46.7515,
                       None, {"ru": ["Степанакерт / Ханкенди, главная площадь"]}),
}
CORRIDOR_ORDER = ["cp_yerevan", "cp_goris", "cp_kornidzor", "cp_berdzor", "cp_shushi", "cp_stepanakert"]

# 23 observation posts: along the northern line of contact, the southern line, and the corridor road.
_OP_ANCHORS = [
    # (district key, lat, lon, zone)
    ("d_martakert", 40.262, 46.735, "north"), ("d_martakert", 40.238, 46.780, "north"),
    ("d_martakert", 40.224, 46.842, "north"), ("d_martakert", 40.190, 46.905, "north"),
    ("d_askeran", 40.080, 46.930, "north"), ("d_askeran", 40.012, 46.905, "north"),
    ("d_askeran", 39.968, 46.880, "north"), ("d_askeran", 39.930, 46.905, "north"),
    ("d_martuni", 39.880, 47.050, "south"), ("d_martuni", 39.842, 47.088, "south"),
    ("d_martuni", 39.812, 47.140, "south"), ("d_martuni", 39.780, 47.100, "south"),
    ("d_martuni", 39.752, 47.060, "south"), ("d_hadrut", 39.700, 47.000, "south"),
    ("d_hadrut", 39.655, 46.965, "south"), ("d_hadrut", 39.610, 46.930, "south"),
    ("d_shushi", 39.775, 46.720, "south"), ("d_shushi", 39.735, 46.690, "south"),
    ("d_berdzor", 39.700, 46.620, "corridor"), ("d_berdzor", 39.668, 46.585, "corridor"),
    ("d_berdzor", 39.618, 46.512, "corridor"), ("d_berdzor", 39.585, 46.470, "corridor"),
    ("d_stepanakert", 39.840, 46.775, "north"),
]
# A post's or checkpoint's name is a description ("post", "north", "checkpoint" are words to translate), so its
# Russian alias names it whole, as a district's does (core.placenames shows the fullest alias of such places).
_ZONE_RU = {"north": "север", "south": "юг", "corridor": "коридор"}
OBSERVATION_POSTS = {
    f"op{number:02d}": (f"Observation post {number:02d} ({zone})", "observation_post", district, lat, lon, None,
                        {"en": [f"OP-{number:02d}", f"OP {number}"],
                         "ru": [f"Наблюдательный пост {number:02d} ({_ZONE_RU[zone]})", f"НП-{number:02d}"]})
    for number, (district, lat, lon, zone) in enumerate(_OP_ANCHORS, start=1)
}

ALL_PLACES = {**COUNTRIES, **REGIONS, **SETTLEMENTS, **CHECKPOINTS, **OBSERVATION_POSTS}
