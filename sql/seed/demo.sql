-- Demo data for development and tests: one region, three municipalities, seven
-- kindergartens with their groups, and one user per role (password `demo` for all).
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
    (@yolochka, 'group', CONCAT('/tmp/', UUID(), '/'), 'Группа кратковременного пребывания «Хвоинка»');

-- Materialised paths, from the root down ----------------------------------------------

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
 WHERE c.level = 'group'
   AND c.parent_id IN (@ds12, @ds5, @ds27, @kolosok, @rucheyok, @teremok, @yolochka);

-- Users: one per role, password `demo` -------------------------------------------------
-- password_hash is NOT NULL: without @demo_hash this insert fails and nothing is kept.

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

COMMIT;
