-- Demo data for development and tests: one region, three municipalities, twenty
-- kindergartens with 4–12 groups each, users of every role (password `demo` for all) and
-- the kindergartens assigned to the experts.
-- Loaded by `sql/db.sh seed-demo` only, which sets @demo_hash (the argon2id hash of
-- "demo" made by `vsokd hash-password`) and loads this file once. Never in production.
--
-- org_units.path is the materialised path of ids ('/1/2/5/'): rows are inserted with a
-- unique temporary path and the real paths are set level by level at the end.

START TRANSACTION;

-- Region ------------------------------------------------------------------------------

INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (NULL, 'region', CONCAT('/tmp/', UUID(), '/'), 'Энская область', 'Энская обл.', '99',
     'г. Энск, пл. Советов, д. 1');
SET @region := LAST_INSERT_ID();

-- Municipalities (codes are OKTMO-like) -----------------------------------------------

INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@region, 'municipality', CONCAT('/tmp/', UUID(), '/'), 'Городской округ Энск',
     'г. о. Энск', '99701000', 'г. Энск, ул. Ленина, д. 25');
SET @ensk := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@region, 'municipality', CONCAT('/tmp/', UUID(), '/'), 'Приреченский муниципальный район',
     'Приреченский р-н', '99620000', 'с. Приречное, ул. Центральная, д. 8');
SET @prirechny := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@region, 'municipality', CONCAT('/tmp/', UUID(), '/'), 'Лесной муниципальный округ',
     'Лесной м. о.', '99630000', 'пгт Лесной, ул. Лесная, д. 3');
SET @lesnoy := LAST_INSERT_ID();

-- Kindergartens (codes are INN-like) --------------------------------------------------

INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@ensk, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МБДОУ «Детский сад № 12 "Солнышко"»',
     'Детский сад № 12 "Солнышко"', '9901012345', 'г. Энск, ул. Школьная, д. 14');
SET @ds12 := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@ensk, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МАДОУ «Детский сад № 5 "Берёзка"»',
     'Детский сад № 5 "Берёзка"', '9901012058', 'г. Энск, ул. Садовая, д. 3');
SET @ds5 := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@ensk, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МБДОУ «Центр развития ребёнка — детский сад № 27 "Радуга"»',
     'ЦРР — детский сад № 27 "Радуга"', '9901012270', 'г. Энск, пр. Мира, д. 41');
SET @ds27 := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@prirechny, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МБДОУ «Приреченский детский сад "Колосок"»',
     'Приреченский детский сад "Колосок"', '9920003411', 'с. Приречное, ул. Молодёжная, д. 2');
SET @kolosok := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@prirechny, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МКДОУ «Детский сад "Ручеёк" с. Заречье»',
     'Детский сад "Ручеёк"', '9920003522', 'с. Заречье, ул. Речная, д. 17');
SET @rucheyok := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@lesnoy, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МБДОУ «Детский сад № 3 "Теремок"»',
     'Детский сад № 3 "Теремок"', '9930004103', 'пгт Лесной, ул. Пионерская, д. 9');
SET @teremok := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@lesnoy, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МКДОУ «Детский сад "Ёлочка" д. Сосновка»',
     'Детский сад "Ёлочка"', '9930004214', 'д. Сосновка, ул. Зелёная, д. 1');
SET @yolochka := LAST_INSERT_ID();

-- more kindergartens of Городской округ Энск
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@ensk, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МБДОУ «Детский сад № 3 "Ласточка"»',
     'Детский сад № 3 "Ласточка"', '9901012036', 'г. Энск, ул. Гагарина, д. 7');
SET @ds3 := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@ensk, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МАДОУ «Детский сад № 8 "Золотой ключик"»',
     'Детский сад № 8 "Золотой ключик"', '9901012083', 'г. Энск, ул. Победы, д. 18');
SET @ds8 := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@ensk, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МБДОУ «Детский сад комбинированного вида № 15 "Светлячок"»',
     'Детский сад № 15 "Светлячок"', '9901012151', 'г. Энск, ул. Строителей, д. 22');
SET @ds15 := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@ensk, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МБДОУ «Детский сад № 33 "Журавушка"»',
     'Детский сад № 33 "Журавушка"', '9901012334', 'г. Энск, ул. Есенина, д. 5');
SET @ds33 := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@ensk, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МАДОУ «Детский сад № 41 "Дюймовочка"»',
     'Детский сад № 41 "Дюймовочка"', '9901012412', 'г. Энск, мкр. Северный, д. 12');
SET @ds41 := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@ensk, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МБДОУ «Детский сад № 47 "Улыбка"»',
     'Детский сад № 47 "Улыбка"', '9901012475', 'г. Энск, ул. Чкалова, д. 30');
SET @ds47 := LAST_INSERT_ID();

-- more kindergartens of Приреченский муниципальный район
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@prirechny, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МБДОУ «Детский сад № 2 "Сказка" с. Приречное»',
     'Детский сад № 2 "Сказка"', '9920003633', 'с. Приречное, ул. Советская, д. 15');
SET @skazka := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@prirechny, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МКДОУ «Детский сад "Родничок" с. Луговое»',
     'Детский сад "Родничок"', '9920003744', 'с. Луговое, ул. Полевая, д. 4');
SET @rodnichok := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@prirechny, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МКДОУ «Детский сад "Колокольчик" д. Ивановка»',
     'Детский сад "Колокольчик"', '9920003855', 'д. Ивановка, ул. Садовая, д. 11');
SET @kolokolchik := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@prirechny, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МБДОУ «Детский сад "Василёк" с. Заречье»',
     'Детский сад "Василёк"', '9920003966', 'с. Заречье, ул. Школьная, д. 6');
SET @vasilyok := LAST_INSERT_ID();

-- more kindergartens of Лесной муниципальный округ
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@lesnoy, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МБДОУ «Детский сад № 1 "Огонёк"»',
     'Детский сад № 1 "Огонёк"', '9930004325', 'пгт Лесной, ул. Ленина, д. 40');
SET @ogonyok := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@lesnoy, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МКДОУ «Детский сад "Земляничка" п. Боровой»',
     'Детский сад "Земляничка"', '9930004436', 'п. Боровой, ул. Сосновая, д. 2');
SET @zemlyanichka := LAST_INSERT_ID();
INSERT INTO org_units (parent_id, level, path, name, short_name, code, address) VALUES
    (@lesnoy, 'kindergarten', CONCAT('/tmp/', UUID(), '/'),
     'МБДОУ «Детский сад № 7 "Медвежонок"»',
     'Детский сад № 7 "Медвежонок"', '9930004547', 'пгт Лесной, ул. Мира, д. 13');
SET @medvezhonok := LAST_INSERT_ID();

-- Groups ------------------------------------------------------------------------------

INSERT INTO org_units (parent_id, level, path, name) VALUES
    (@ds12, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа раннего возраста «Капелька»'),
    (@ds12, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая группа «Колокольчик»'),
    (@ds12, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Ромашка»'),
    (@ds12, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Звёздочка»'),
    (@ds12, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая логопедическая группа «Непоседы»'),
    (@ds12, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная к школе группа «Почемучки»'),

    (@ds5, 'group', CONCAT('/tmp/', UUID(), '/'), 'Вторая группа раннего возраста «Малышок»'),
    (@ds5, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая группа «Пчёлка»'),
    (@ds5, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Теремок»'),
    (@ds5, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Дружные ребята»'),
    (@ds5, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная группа «Умники и умницы»'),

    (@ds27, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа раннего возраста «Солнечные зайчики»'),
    (@ds27, 'group', CONCAT('/tmp/', UUID(), '/'), 'Первая младшая группа «Гномики»'),
    (@ds27, 'group', CONCAT('/tmp/', UUID(), '/'), 'Вторая младшая группа «Божьи коровки»'),
    (@ds27, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Рябинка»'),
    (@ds27, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Калинка»'),
    (@ds27, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Фантазёры»'),
    (@ds27, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа компенсирующей направленности «Радуга»'),
    (@ds27, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная к школе группа «Знайки»'),

    (@kolosok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая группа «Цыплята»'),
    (@kolosok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Василёк»'),
    (@kolosok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Подсолнухи»'),
    (@kolosok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная группа «Колоски»'),

    (@rucheyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа кратковременного пребывания «Малыш»'),
    (@rucheyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая разновозрастная группа «Капитошка»'),
    (@rucheyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая разновозрастная группа «Родничок»'),
    (@rucheyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная группа «Ручейки»'),

    (@teremok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа раннего возраста «Ягодка»'),
    (@teremok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая группа «Белочка»'),
    (@teremok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Лесовичок»'),
    (@teremok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Совята»'),
    (@teremok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная группа «Мудрые совы»'),

    (@yolochka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Разновозрастная группа раннего возраста «Светлячок»'),
    (@yolochka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая разновозрастная группа «Шишки»'),
    (@yolochka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая разновозрастная группа «Снежинки»'),
    (@yolochka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа кратковременного пребывания «Хвоинка»'),

    (@ds3, 'group', CONCAT('/tmp/', UUID(), '/'), 'Вторая группа раннего возраста «Птенчики»'),
    (@ds3, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая группа «Ладушки»'),
    (@ds3, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Весёлые ребята»'),
    (@ds3, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Юные исследователи»'),
    (@ds3, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная к школе группа «Ласточки»'),

    (@ds8, 'group', CONCAT('/tmp/', UUID(), '/'), 'Первая группа раннего возраста «Карапузы»'),
    (@ds8, 'group', CONCAT('/tmp/', UUID(), '/'), 'Вторая группа раннего возраста «Кроха»'),
    (@ds8, 'group', CONCAT('/tmp/', UUID(), '/'), 'Первая младшая группа «Буратино»'),
    (@ds8, 'group', CONCAT('/tmp/', UUID(), '/'), 'Вторая младшая группа «Мальвина»'),
    (@ds8, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Пьеро»'),
    (@ds8, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Артемон»'),
    (@ds8, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Папа Карло»'),
    (@ds8, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая логопедическая группа «Говорушки»'),
    (@ds8, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная к школе группа «Золотой ключик»'),
    (@ds8, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная к школе группа «Всезнайки»'),

    (@ds15, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа раннего возраста «Зайчата»'),
    (@ds15, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа раннего возраста «Медвежата»'),
    (@ds15, 'group', CONCAT('/tmp/', UUID(), '/'), 'Первая младшая группа «Лучики»'),
    (@ds15, 'group', CONCAT('/tmp/', UUID(), '/'), 'Вторая младшая группа «Одуванчики»'),
    (@ds15, 'group', CONCAT('/tmp/', UUID(), '/'), 'Вторая младшая группа «Незабудки»'),
    (@ds15, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Светлячки»'),
    (@ds15, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Фантазия»'),
    (@ds15, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Почемучки»'),
    (@ds15, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа компенсирующей направленности «Солнышко»'),
    (@ds15, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная к школе группа «Затейники»'),
    (@ds15, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная группа компенсирующей направленности «Капитошка»'),
    (@ds15, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа кратковременного пребывания «Адаптация»'),

    (@ds33, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа раннего возраста «Журавлики»'),
    (@ds33, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая группа «Топотушки»'),
    (@ds33, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Смешарики»'),
    (@ds33, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Любознайки»'),
    (@ds33, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Мечтатели»'),
    (@ds33, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Непоседы»'),
    (@ds33, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная к школе группа «Эрудиты»'),

    (@ds41, 'group', CONCAT('/tmp/', UUID(), '/'), 'Вторая группа раннего возраста «Дюймовочка»'),
    (@ds41, 'group', CONCAT('/tmp/', UUID(), '/'), 'Первая младшая группа «Мотыльки»'),
    (@ds41, 'group', CONCAT('/tmp/', UUID(), '/'), 'Вторая младшая группа «Бабочки»'),
    (@ds41, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Цветик-семицветик»'),
    (@ds41, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Колобок»'),
    (@ds41, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Золушка»'),
    (@ds41, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая логопедическая группа «Звуковички»'),
    (@ds41, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная к школе группа «Умницы»'),
    (@ds41, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная к школе группа «Дружба»'),

    (@ds47, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа раннего возраста «Улыбка»'),
    (@ds47, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая группа «Смешинки»'),
    (@ds47, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Радость»'),
    (@ds47, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Весёлый паровозик»'),
    (@ds47, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная к школе группа «Первоклашки»'),
    (@ds47, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа кратковременного пребывания «Лекотека»'),

    (@skazka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа раннего возраста «Теремок»'),
    (@skazka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая группа «Репка»'),
    (@skazka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Колобок»'),
    (@skazka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Три медведя»'),
    (@skazka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная группа «Сказочники»'),
    (@skazka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа кратковременного пребывания «Курочка Ряба»'),

    (@rodnichok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая разновозрастная группа «Капельки»'),
    (@rodnichok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Ручеёк»'),
    (@rodnichok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая разновозрастная группа «Родничок»'),
    (@rodnichok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная группа «Волна»'),

    (@kolokolchik, 'group', CONCAT('/tmp/', UUID(), '/'), 'Разновозрастная группа раннего возраста «Бубенчики»'),
    (@kolokolchik, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая разновозрастная группа «Колокольчики»'),
    (@kolokolchik, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая разновозрастная группа «Звонкие голоса»'),
    (@kolokolchik, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа кратковременного пребывания «Малышок»'),

    (@vasilyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа раннего возраста «Ромашки»'),
    (@vasilyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая группа «Васильки»'),
    (@vasilyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Колоски»'),
    (@vasilyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Маки»'),
    (@vasilyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная группа «Полевые цветы»'),

    (@ogonyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа раннего возраста «Искорки»'),
    (@ogonyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Первая младшая группа «Огоньки»'),
    (@ogonyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Вторая младшая группа «Светофорчик»'),
    (@ogonyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Пожарные»'),
    (@ogonyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Юные спасатели»'),
    (@ogonyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Звёздочки»'),
    (@ogonyok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная к школе группа «Факел»'),

    (@zemlyanichka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая разновозрастная группа «Ягодки»'),
    (@zemlyanichka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Черничка»'),
    (@zemlyanichka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая разновозрастная группа «Земляничка»'),
    (@zemlyanichka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа кратковременного пребывания «Грибок»'),

    (@medvezhonok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа раннего возраста «Медвежата»'),
    (@medvezhonok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Младшая группа «Барсучата»'),
    (@medvezhonok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Средняя группа «Лисята»'),
    (@medvezhonok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Бельчата»'),
    (@medvezhonok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Старшая группа «Ёжики»'),
    (@medvezhonok, 'group', CONCAT('/tmp/', UUID(), '/'), 'Подготовительная к школе группа «Следопыты»');

-- Materialised paths, from the root down (only the rows inserted above: temporary paths) --

UPDATE org_units SET path = CONCAT('/', id, '/')
 WHERE id = @region;
UPDATE org_units c JOIN org_units p ON p.id = c.parent_id
   SET c.path = CONCAT(p.path, c.id, '/')
 WHERE c.level = 'municipality' AND c.parent_id = @region;
UPDATE org_units c JOIN org_units p ON p.id = c.parent_id
   SET c.path = CONCAT(p.path, c.id, '/')
 WHERE c.level = 'kindergarten' AND c.parent_id IN (@ensk, @prirechny, @lesnoy);
UPDATE org_units c JOIN org_units p ON p.id = c.parent_id
   SET c.path = CONCAT(p.path, c.id, '/')
 WHERE c.level = 'group' AND c.path LIKE '/tmp/%' AND p.path NOT LIKE '/tmp/%';

-- Users, password `demo` -------------------------------------------------------------
-- password_hash is NOT NULL: without @demo_hash this insert fails and nothing is kept.
-- The first six are the demo logins of docs/runtime.md (tests rely on their units).

INSERT INTO users (login, password_hash, full_name, email, phone, role, org_unit_id) VALUES
    ('admin', @demo_hash, 'Кузнецов Андрей Павлович', 'admin@minobr.enskaya.example',
     '+7 900 555-01-01', 'administrator', @region),
    ('region', @demo_hash, 'Смирнова Елена Викторовна', 'e.smirnova@minobr.enskaya.example',
     '+7 900 555-01-02', 'region_coordinator', @region),
    ('municipal', @demo_hash, 'Волкова Татьяна Николаевна', 't.volkova@uo.ensk.example',
     '+7 900 555-01-03', 'municipal_coordinator', @ensk),
    ('doo', @demo_hash, 'Морозова Ольга Сергеевна', 'ds12@edu.ensk.example',
     '+7 900 555-01-04', 'doo_coordinator', @ds12),
    ('teacher', @demo_hash, 'Иванова Мария Александровна', 'm.ivanova@ds12.ensk.example',
     '+7 900 555-01-05', 'teacher', @ds12),
    ('expert', @demo_hash, 'Лебедев Дмитрий Игоревич', 'd.lebedev@iro.enskaya.example',
     '+7 900 555-01-06', 'expert', @ensk);

INSERT INTO users (login, password_hash, full_name, email, phone, role, org_unit_id) VALUES
    ('municipal2', @demo_hash, 'Соколова Ирина Владимировна', 'i.sokolova@uo.prirechny.example',
     '+7 900 555-02-01', 'municipal_coordinator', @prirechny),
    ('municipal3', @demo_hash, 'Павлов Сергей Николаевич', 's.pavlov@uo.lesnoy.example',
     '+7 900 555-02-02', 'municipal_coordinator', @lesnoy),
    ('doo2', @demo_hash, 'Николаева Светлана Петровна', 'ds5@edu.ensk.example',
     '+7 900 555-02-03', 'doo_coordinator', @ds5),
    ('doo3', @demo_hash, 'Фёдорова Галина Ивановна', 'kolosok@edu.prirechny.example',
     '+7 900 555-02-04', 'doo_coordinator', @kolosok),
    ('teacher2', @demo_hash, 'Петрова Анна Викторовна', 'a.petrova@ds5.ensk.example',
     '+7 900 555-02-05', 'teacher', @ds5),
    ('teacher3', @demo_hash, 'Сидорова Екатерина Андреевна', 'e.sidorova@ds12.ensk.example',
     NULL, 'teacher', @ds12),
    ('teacher4', @demo_hash, 'Захарова Людмила Олеговна', NULL,
     '+7 900 555-02-07', 'teacher', @kolosok),
    ('teacher5', @demo_hash, 'Белова Наталья Сергеевна', 'n.belova@ds3.lesnoy.example',
     '+7 900 555-02-08', 'teacher', @teremok),
    ('expert2', @demo_hash, 'Орлова Наталья Юрьевна', 'n.orlova@iro.enskaya.example',
     '+7 900 555-02-09', 'expert', @region);

-- A former teacher whose account was switched off (for the users list's active filter).
INSERT INTO users (login, password_hash, full_name, email, phone, role, org_unit_id, active)
VALUES ('teacher.old', @demo_hash, 'Григорьева Валентина Павловна', NULL, NULL, 'teacher', @ds27, 0);

-- Expert assignments -------------------------------------------------------------------
-- expert (home: Городской округ Энск) scores three kindergartens of Энск; expert2 (the
-- region's expert) one kindergarten in each of the other municipalities.

INSERT INTO expert_assignments (expert_id, kindergarten_id, assigned_by)
SELECT e.id, k.id, a.id
  FROM users e JOIN org_units k JOIN users a ON a.login = 'admin'
 WHERE (e.login = 'expert' AND k.id IN (@ds12, @ds5, @ds27))
    OR (e.login = 'expert2' AND k.id IN (@kolosok, @teremok));

-- Parents' consent to photos and videos (migration 019): recorded for every demo group by
-- its kindergarten's coordinator (the administrator where a kindergarten has none).

INSERT INTO group_consents (group_id, consented, consent_date, recorded_by)
SELECT g.id, 1, CURRENT_DATE - INTERVAL 30 DAY,
       COALESCE((SELECT MIN(c.id) FROM users c WHERE c.org_unit_id = g.parent_id
                  AND c.role = 'doo_coordinator'), (SELECT id FROM users WHERE login = 'admin'))
  FROM org_units g WHERE g.level = 'group';

COMMIT;
