"""Small fixed lists with known answers: the same people written by two parties in different scripts."""

LEFT = [  # an Armenian-side list: Armenian script, day-first dates
    {"id": "A1", "name": "Հովհաննիսյան Արամ", "father_name": "Սերգեյ", "birth_date": "12.03.1985",
     "birth_place": "Ստեփանակերտ", "sex": "M"},
    {"id": "A2", "name": "Պետրոսյան Մարիամ", "father_name": "Հակոբ", "birth_date": "1992-07-05",
     "birth_place": "Շուշի", "sex": "F"},
    {"id": "A3", "name": "Հակոբյան Աշոտ", "father_name": "Վարդան", "birth_date": "1978",
     "birth_place": "Մարտունի", "sex": "M"},
    {"id": "A4", "name": "Խաչատրյան Գևորգ", "father_name": "Արմեն", "birth_date": "2001-11-23",
     "birth_place": "Հադրութ", "sex": "M"},
    {"id": "A5", "name": "Խաչատրյան Տիգրան", "father_name": "Արմեն", "birth_date": "1999-04-02",
     "birth_place": "Հադրութ", "sex": "M"},  # A4's brother: same father and town, not the same person
    {"id": "A6", "name": "Սարգսյան Անի", "father_name": "Կարեն", "birth_date": "1988-01-15",
     "birth_place": "Երևան", "sex": "F"},
]
RIGHT = [  # the other party: Russian Cyrillic or Azerbaijani Latin, other habits
    {"id": "B1", "name": "Оганесян Арам Сергеевич", "birth_date": "1985-03-12", "birth_place": "Ханкенди",
     "sex": "M"},
    {"id": "B2", "name": "Mariam Petrosyan", "father_name": "Hakob", "birth_date": "05.07.1992",
     "birth_place": "Şuşa", "sex": "F"},
    {"id": "B3", "name": "Акопян Ашот Варданович", "birth_date": "1978-06-30", "birth_place": "Ходжавенд",
     "sex": "M"},
    {"id": "B4", "name": "Xaçatryan Gevorq", "father_name": "Armen", "birth_date": "2001-11-23",
     "birth_place": "Hadrut", "sex": "M"},
    {"id": "B7", "name": "Əliyev Rəşad", "father_name": "Elçin", "birth_date": "1990-05-04",
     "birth_place": "Bakı", "sex": "M"},
    {"id": "B8", "name": "Саргсян Анна", "birth_date": "1979-09-09", "birth_place": "Горис", "sex": "F"},
]
TRUE_PAIRS = {("A1", "B1"), ("A2", "B2"), ("A3", "B3"), ("A4", "B4")}

DEDUPE = [
    {"id": "1", "name": "Əliyev Rəşad Elçin oğlu", "birth_date": "1990-05-04", "birth_place": "Bakı", "sex": "M"},
    {"id": "2", "name": "Алиев Рашад Эльчинович", "birth_date": "04.05.1990", "birth_place": "Баку", "sex": "M"},
    {"id": "3", "name": "Məmmədov Elçin", "father_name": "Vüqar", "birth_date": "1975-02-11",
     "birth_place": "Gəncə", "sex": "M"},
    {"id": "4", "name": "Мамедов Эльчин Вугарович", "birth_date": "1975-11-02", "birth_place": "Гянджа",
     "sex": "M"},  # day and month transposed
    {"id": "5", "name": "Hüseynov Vüqar", "father_name": "Əli", "birth_date": "1960", "birth_place": "Şuşa",
     "sex": "M"},
    {"id": "6", "name": "Hüseynova Aysel", "father_name": "Vüqar", "birth_date": "1986-08-19",
     "birth_place": "Şuşa", "sex": "F"},
    {"id": "7", "name": "Гусейнов Вугар Алиевич", "birth_date": "1960-03-01", "birth_place": "Шуша", "sex": "M"},
]
DEDUPE_PAIRS = {("1", "2"), ("3", "4"), ("5", "7")}
