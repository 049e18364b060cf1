// Texts of the console in Russian and English. The language is the one
// the operator chose (kept in localStorage), else the browser's.

const texts = {
  en: {
    'app.title': 'stend console',
    'nav.stand': 'Stand', 'nav.journal': 'Journal', 'nav.migrantExam': 'Migrant exam', 'nav.fssp': 'FSSP', 'nav.reestro': 'Reestro',
    'nav.motivity': 'Motivity', 'nav.language': 'Language', 'nav.main': 'Sections', 'nav.notFound': 'No such page', 'nav.skip': 'Skip to content',
    'login.title': 'Sign in to the stand', 'login.explain': 'Enter the operator token (STEND_OPERATOR_TOKEN). It is kept in this tab only, until it closes.',
    'login.token': 'Operator token', 'login.enter': 'Sign in', 'login.logout': 'Sign out',
    'common.all': 'all', 'common.create': 'Create', 'common.created': 'Created', 'common.delete': 'Delete', 'common.empty': 'Nothing here.', 'common.loading': 'Loading…',
    'common.next': 'Next page', 'common.prev': 'Previous page', 'common.page': (n) => `page ${n}`, 'common.pages': 'Pages', 'common.no': 'no', 'common.yes': 'yes',
    'common.refresh': 'Refresh', 'common.search': 'Search', 'common.shownOnce': 'Shown once: the stand keeps only its hash.', 'common.updated': 'Updated',
    'stand.title': 'The stand',
    'clock.title': 'Clock', 'clock.now': 'Now', 'clock.offset': 'Ahead of real time by', 'clock.advanceBy': 'Move forward by', 'clock.advanceHint': '25h, 90m, 1h30m',
    'clock.advance': 'Move forward', 'clock.setAt': 'Set to', 'clock.setHint': 'RFC 3339 or a day', 'clock.set': 'Set', 'clock.release': 'Back to real time',
    'faults.title': 'Faults', 'faults.rules': 'Fault rules', 'faults.clear': 'Clear all faults', 'faults.name': 'Name', 'faults.anyAPI': 'every API',
    'faults.match': 'Matches', 'faults.effect': 'Effect', 'faults.cut': 'cut the connection', 'faults.failsJob': 'fails the job', 'faults.times': 'Times',
    'faults.matched': 'Matched', 'faults.injected': 'Hit', 'faults.delete': 'Delete fault', 'faults.add': 'Add a fault', 'faults.method': 'Method',
    'faults.path': 'Path', 'faults.pathHint': 'a prefix ends with *', 'faults.credential': 'Credential', 'faults.field': 'Body field', 'faults.value': 'Field value',
    'faults.job': 'Job', 'faults.status': 'Status', 'faults.message': 'Message', 'faults.latency': 'Latency, ms', 'faults.retryAfter': 'Retry-After, s',
    'faults.probability': 'Probability', 'faults.put': 'Add fault', 'faults.added': (n) => `Fault "${n}" is in force.`,
    'snap.title': 'Snapshots and reset', 'snap.list': 'Snapshots', 'snap.name': 'Snapshot name', 'snap.takenAt': 'Taken at', 'snap.rows': 'Rows',
    'snap.restore': 'Restore', 'snap.take': 'Take snapshot', 'snap.reset': 'Reset the stand to its seed',
    'snap.confirmRestore': (n) => `Replace the whole stand with snapshot "${n}"?`, 'snap.confirmDelete': (n) => `Delete snapshot "${n}"?`,
    'snap.confirmReset': 'Put the whole stand back to its seed? Everything else is lost.', 'snap.done': (n, took) => `Done: ${n} in ${took}.`,
    'journal.title': 'Request journal', 'journal.filters': 'Journal filters', 'journal.route': 'Route', 'journal.path': 'Path', 'journal.status': 'Status',
    'journal.credential': 'Credential', 'journal.field': 'Body field', 'journal.value': 'Field value', 'journal.apply': 'Apply', 'journal.live': 'Live',
    'journal.shown': (n) => `Entries shown: ${n}, newest first.`, 'journal.at': 'Time', 'journal.request': 'Request', 'journal.took': 'Took',
    'journal.older': 'Older entries', 'journal.cut': 'cut', 'journal.fault': (id) => `fault ${id}`, 'journal.requestId': 'Request id', 'journal.query': 'Query',
    'journal.reason': 'Reason of the refusal', 'journal.faultRule': 'Fault rule', 'journal.copyCurl': 'Copy as curl', 'journal.copied': 'Copied.',
    'journal.copyFailed': 'The browser refused the clipboard: copy the command below.', 'journal.headers': 'Headers (secrets masked)',
    'journal.body': 'Body', 'journal.answer': 'Answer',
    'me.title': 'Migrant exam', 'me.organizations': 'Organizations', 'me.searchOrgs': 'Name or username contains', 'me.name': 'Name', 'me.username': 'Username',
    'me.create': 'New organization', 'me.credentials': 'Credentials', 'me.areasOf': (n) => `Areas of ${n}`, 'me.revoke': 'Revoke', 'me.areaId': 'Area id',
    'me.grant': 'Grant area', 'me.reports': 'Reports', 'me.reportId': 'Report id', 'me.organizationId': 'Organization id', 'me.period': 'Week from',
    'me.versions': 'Versions', 'me.report': (id) => `Report ${id}`, 'me.sideBySide': 'Every version side by side (changed fields marked)',
    'me.field': 'Field', 'me.version': (n) => `Version ${n}`, 'me.rows': (n) => `${n} rows`, 'me.document': 'Document (hash)', 'me.examDate': 'Exam date',
    'me.examType': 'Exam type', 'me.examStatus': 'Exam status',
    'me.rowsChanged': 'Rows a version has that the one before did not are marked.',
    'fssp.title': 'FSSP data bank', 'fssp.bank': (n) => `The bank holds ${n} proceedings.`, 'fssp.tokens': 'Tokens', 'fssp.name': 'Name', 'fssp.limits': 'Limits',
    'fssp.hour': 'hour', 'fssp.day': 'day', 'fssp.groups': 'groups', 'fssp.expires': 'Expires', 'fssp.revoked': 'Revoked', 'fssp.usage': 'Use',
    'fssp.revoke': 'Revoke', 'fssp.issue': 'Issue token', 'fssp.singlePerHour': 'Single searches an hour', 'fssp.singlePerDay': 'Single searches a day',
    'fssp.groupPerDay': 'Group requests a day', 'fssp.token': 'Token', 'fssp.usageOf': (n) => `Use of "${n}"`, 'fssp.window': 'Window', 'fssp.used': 'Used',
    'fssp.freesAt': 'Next frees at', 'fssp.tasks': 'Tasks (kept 24 hours)', 'fssp.tokenId': 'Token id', 'fssp.status': 'Status', 'fssp.task': 'Task',
    'fssp.kind': 'Kind', 'fssp.group': 'group', 'fssp.single': 'single', 'fssp.progress': 'Progress', 'fssp.taskTitle': (id) => `Task ${id}`,
    'fssp.finished': 'Finished', 'fssp.requests': 'Requests', 'fssp.results': 'Results', 'fssp.done': 'done', 'fssp.running': 'running',
    'fssp.queued': 'queued', 'fssp.doneWithErrors': 'done with errors',
    're.title': 'Reestro', 're.organizations': 'Organizations', 're.name': 'Name', 're.createOrg': 'Create organization', 're.keys': 'API keys',
    're.grants': 'Organizations granted', 're.revoked': 'Revoked', 're.revoke': 'Revoke', 're.issue': 'Issue key', 're.key': 'API key',
    're.checksOf': (n) => `Checks of ${n}`, 're.checks': 'Checks', 're.state': 'State', 're.regions': 'Regions', 're.check': (id) => `Check ${id}`,
    're.finished': 'Finished', 're.failure': 'Failure', 're.subject': 'Subject', 're.found': 'What was found',
    'mo.title': 'Motivity', 'mo.locales': 'Locales', 'mo.identifier': 'Identifier', 'mo.tokenSet': 'Public token set', 'mo.catalog': 'Prize catalog until',
    'mo.users': 'Users', 'mo.searchUsers': 'Identifier, name or email contains',
    'mo.name': 'Name', 'mo.state': 'State', 'mo.deleted': 'deleted', 'mo.active': 'active', 'mo.inactive': 'inactive', 'mo.addUser': 'Add or update a user',
    'mo.putUser': 'Save user', 'mo.userSaved': (id) => `User ${id} saved.`, 'mo.badges': 'Badges', 'mo.badgeTitle': 'Title', 'mo.grades': 'Grades',
    'mo.holders': 'Holders', 'mo.holdersOf': (n) => `Holders of "${n}"`, 'mo.badge': 'Badge', 'mo.since': 'Since', 'mo.files': 'Files',
    'mo.fileName': 'Name', 'mo.size': 'Bytes', 'mo.type': 'Type', 'mo.download': 'Download', 'mo.ledger': 'Ledger', 'mo.balance': 'Balance',
    'mo.user': 'User id', 'mo.amount': 'Amount', 'mo.after': 'Balance after', 'mo.message': 'Message', 'mo.badgeHistory': 'Badge history',
    'mo.goals': 'Goals', 'mo.goalTitle': 'Title', 'mo.progress': 'Progress', 'mo.deadline': 'Deadline', 'mo.completed': 'completed',
    'mo.approved': 'approved', 'mo.draft': 'not approved', 'mo.goalHistory': 'Goal history', 'mo.goal': 'Goal', 'mo.action': 'Action',
    'mo.actor': 'By', 'mo.changes': 'Changes',
    'qu.title': 'Quests', 'qu.quest': 'Quest', 'qu.mentors': 'Mentors', 'qu.visible': 'Shown now', 'qu.deadline': 'Deadline', 'qu.open': 'Open', 'qu.always': 'always',
    'qu.tasks': 'Tasks and their students by status', 'qu.task': 'Task', 'qu.score': 'Score', 'qu.students': 'Students', 'qu.student': 'Student',
    'qu.assigned': 'Assigned', 'qu.status': 'Status', 'qu.awards': 'Awards', 'qu.kind': 'Kind', 'qu.recipient': 'Recipient',
    'qu.thread': (task, user) => `Task ${task} of ${user}`,
    'qu.inProgress': 'in progress', 'qu.checking': 'checking', 'qu.redo': 'to redo', 'qu.complete': 'complete', 'qu.fail': 'failed',
    'rp.title': 'Reports', 'rp.report': (id) => `Report ${id}`, 'rp.type': 'Type', 'rp.locale': 'Locale', 'rp.state': 'State', 'rp.size': 'Bytes',
    'rp.finished': 'Finished', 'rp.expires': 'Expires', 'rp.error': 'Error', 'rp.filters': 'Filters', 'rp.noFilters': 'None were sent.',
    'rp.explain': 'Reports created through the public API (POST /public/api/v1/reports/create/{type}), kept until they expire; expired ones the expiry job has not removed yet are listed too.',
    'rp.processing': 'being built', 'rp.ready': 'ready', 'rp.failed': 'failed', 'rp.download': (id) => `Download report ${id}`,
    'rp.delete': (id) => `Delete report ${id}`, 'rp.deleted': (id) => `Report ${id} deleted.`,
    'rp.confirmDelete': (id) => `Delete report ${id}? Its bytes go with it, and the public API answers "Report not found" for it.`,
    'rp.curlExplain': 'The same operator calls from a shell: set STEND_OPERATOR_TOKEN to the operator token first. Download a large report this way: the browser holds the whole file in memory.',
    'rp.curlRecord': 'Read the record', 'rp.curlData': 'Download the report', 'rp.curlDelete': 'Delete the report',
  },
  ru: {
    'app.title': 'Консоль stend',
    'nav.stand': 'Стенд', 'nav.journal': 'Журнал', 'nav.migrantExam': 'Экзамен мигрантов', 'nav.fssp': 'ФССП', 'nav.reestro': 'Реестро',
    'nav.motivity': 'Мотивити', 'nav.language': 'Язык', 'nav.main': 'Разделы', 'nav.notFound': 'Такой страницы нет', 'nav.skip': 'К содержимому',
    'login.title': 'Вход в стенд', 'login.explain': 'Введите токен оператора (STEND_OPERATOR_TOKEN). Он хранится только в этой вкладке, пока она открыта.',
    'login.token': 'Токен оператора', 'login.enter': 'Войти', 'login.logout': 'Выйти',
    'common.all': 'все', 'common.create': 'Создать', 'common.created': 'Создано', 'common.delete': 'Удалить', 'common.empty': 'Пусто.', 'common.loading': 'Загрузка…',
    'common.next': 'Следующая страница', 'common.prev': 'Предыдущая страница', 'common.page': (n) => `страница ${n}`, 'common.pages': 'Страницы',
    'common.no': 'нет', 'common.yes': 'да', 'common.refresh': 'Обновить', 'common.search': 'Найти',
    'common.shownOnce': 'Показано один раз: стенд хранит только хеш.', 'common.updated': 'Изменено',
    'stand.title': 'Стенд',
    'clock.title': 'Часы', 'clock.now': 'Сейчас', 'clock.offset': 'Впереди реального времени на', 'clock.advanceBy': 'Перевести вперёд на',
    'clock.advanceHint': '25h, 90m, 1h30m', 'clock.advance': 'Перевести', 'clock.setAt': 'Установить', 'clock.setHint': 'RFC 3339 или день',
    'clock.set': 'Установить', 'clock.release': 'Вернуть реальное время',
    'faults.title': 'Сбои', 'faults.rules': 'Правила сбоев', 'faults.clear': 'Убрать все сбои', 'faults.name': 'Имя', 'faults.anyAPI': 'любой API',
    'faults.match': 'Условие', 'faults.effect': 'Действие', 'faults.cut': 'оборвать соединение', 'faults.failsJob': 'проваливает задание',
    'faults.times': 'Раз', 'faults.matched': 'Совпало', 'faults.injected': 'Сработало', 'faults.delete': 'Удалить сбой', 'faults.add': 'Добавить сбой',
    'faults.method': 'Метод', 'faults.path': 'Путь', 'faults.pathHint': 'префикс оканчивается на *', 'faults.credential': 'Учётные данные',
    'faults.field': 'Поле тела', 'faults.value': 'Значение поля', 'faults.job': 'Задание', 'faults.status': 'Статус', 'faults.message': 'Сообщение',
    'faults.latency': 'Задержка, мс', 'faults.retryAfter': 'Retry-After, с', 'faults.probability': 'Вероятность', 'faults.put': 'Добавить сбой',
    'faults.added': (n) => `Сбой «${n}» действует.`,
    'snap.title': 'Снимки и сброс', 'snap.list': 'Снимки', 'snap.name': 'Имя снимка', 'snap.takenAt': 'Снят', 'snap.rows': 'Строк',
    'snap.restore': 'Восстановить', 'snap.take': 'Снять снимок', 'snap.reset': 'Сбросить стенд к начальным данным',
    'snap.confirmRestore': (n) => `Заменить весь стенд снимком «${n}»?`, 'snap.confirmDelete': (n) => `Удалить снимок «${n}»?`,
    'snap.confirmReset': 'Вернуть весь стенд к начальным данным? Всё остальное пропадёт.', 'snap.done': (n, took) => `Готово: ${n} за ${took}.`,
    'journal.title': 'Журнал запросов', 'journal.filters': 'Фильтры журнала', 'journal.route': 'Маршрут', 'journal.path': 'Путь', 'journal.status': 'Статус',
    'journal.credential': 'Учётные данные', 'journal.field': 'Поле тела', 'journal.value': 'Значение поля', 'journal.apply': 'Применить',
    'journal.live': 'В реальном времени', 'journal.shown': (n) => `Показано записей: ${n}, новые сверху.`, 'journal.at': 'Время',
    'journal.request': 'Запрос', 'journal.took': 'Длительность', 'journal.older': 'Более ранние записи', 'journal.cut': 'обрыв',
    'journal.fault': (id) => `сбой ${id}`, 'journal.requestId': 'Id запроса', 'journal.query': 'Параметры', 'journal.reason': 'Причина отказа',
    'journal.faultRule': 'Правило сбоя', 'journal.copyCurl': 'Скопировать как curl', 'journal.copied': 'Скопировано.',
    'journal.copyFailed': 'Браузер не дал доступ к буферу: скопируйте команду ниже.', 'journal.headers': 'Заголовки (секреты скрыты)',
    'journal.body': 'Тело', 'journal.answer': 'Ответ',
    'me.title': 'Экзамен мигрантов', 'me.organizations': 'Организации', 'me.searchOrgs': 'Имя или логин содержит', 'me.name': 'Название',
    'me.username': 'Логин', 'me.create': 'Новая организация', 'me.credentials': 'Учётные данные', 'me.areasOf': (n) => `Площадки: ${n}`,
    'me.revoke': 'Отозвать', 'me.areaId': 'Id площадки', 'me.grant': 'Выдать площадку', 'me.reports': 'Отчёты', 'me.reportId': 'Id отчёта',
    'me.organizationId': 'Id организации', 'me.period': 'Неделя с', 'me.versions': 'Версии', 'me.report': (id) => `Отчёт ${id}`,
    'me.sideBySide': 'Все версии рядом (изменённые поля отмечены)', 'me.field': 'Поле', 'me.version': (n) => `Версия ${n}`,
    'me.rows': (n) => `строк: ${n}`, 'me.document': 'Документ (хеш)', 'me.examDate': 'Дата экзамена', 'me.examType': 'Вид экзамена',
    'me.examStatus': 'Результат',
    'me.rowsChanged': 'Отмечены строки, которых не было в предыдущей версии.',
    'fssp.title': 'Банк данных ФССП', 'fssp.bank': (n) => `В банке производств: ${n}.`, 'fssp.tokens': 'Токены', 'fssp.name': 'Имя',
    'fssp.limits': 'Лимиты', 'fssp.hour': 'час', 'fssp.day': 'сутки', 'fssp.groups': 'групповые', 'fssp.expires': 'Истекает', 'fssp.revoked': 'Отозван',
    'fssp.usage': 'Расход', 'fssp.revoke': 'Отозвать', 'fssp.issue': 'Выдать токен', 'fssp.singlePerHour': 'Одиночных поисков в час',
    'fssp.singlePerDay': 'Одиночных поисков в сутки', 'fssp.groupPerDay': 'Групповых запросов в сутки', 'fssp.token': 'Токен',
    'fssp.usageOf': (n) => `Расход «${n}»`, 'fssp.window': 'Окно', 'fssp.used': 'Израсходовано', 'fssp.freesAt': 'Освободится',
    'fssp.tasks': 'Задачи (хранятся 24 часа)', 'fssp.tokenId': 'Id токена', 'fssp.status': 'Статус', 'fssp.task': 'Задача', 'fssp.kind': 'Вид',
    'fssp.group': 'групповая', 'fssp.single': 'одиночная', 'fssp.progress': 'Ход', 'fssp.taskTitle': (id) => `Задача ${id}`, 'fssp.finished': 'Завершена',
    'fssp.requests': 'Запросы', 'fssp.results': 'Результаты', 'fssp.done': 'готово', 'fssp.running': 'выполняется', 'fssp.queued': 'в очереди',
    'fssp.doneWithErrors': 'готово с ошибками',
    're.title': 'Реестро', 're.organizations': 'Организации', 're.name': 'Название', 're.createOrg': 'Создать организацию', 're.keys': 'API-ключи',
    're.grants': 'Доступные организации', 're.revoked': 'Отозван', 're.revoke': 'Отозвать', 're.issue': 'Выдать ключ', 're.key': 'API-ключ',
    're.checksOf': (n) => `Проверки: ${n}`, 're.checks': 'Проверки', 're.state': 'Состояние', 're.regions': 'Регионы', 're.check': (id) => `Проверка ${id}`,
    're.finished': 'Завершена', 're.failure': 'Ошибка', 're.subject': 'Субъект', 're.found': 'Что найдено',
    'mo.title': 'Мотивити', 'mo.locales': 'Языки', 'mo.identifier': 'Идентификатор', 'mo.tokenSet': 'Публичный токен задан', 'mo.catalog': 'Каталог призов до',
    'mo.users': 'Пользователи',
    'mo.searchUsers': 'Идентификатор, имя или почта содержит', 'mo.name': 'Имя', 'mo.state': 'Состояние', 'mo.deleted': 'удалён', 'mo.active': 'активен',
    'mo.inactive': 'неактивен', 'mo.addUser': 'Добавить или изменить пользователя', 'mo.putUser': 'Сохранить пользователя',
    'mo.userSaved': (id) => `Пользователь ${id} сохранён.`, 'mo.badges': 'Бейджи', 'mo.badgeTitle': 'Название', 'mo.grades': 'Уровни',
    'mo.holders': 'Обладатели', 'mo.holdersOf': (n) => `Обладатели «${n}»`, 'mo.badge': 'Бейдж', 'mo.since': 'С', 'mo.files': 'Файлы',
    'mo.fileName': 'Имя', 'mo.size': 'Байт', 'mo.type': 'Тип', 'mo.download': 'Скачать', 'mo.ledger': 'Журнал баллов', 'mo.balance': 'Баланс',
    'mo.user': 'Id пользователя', 'mo.amount': 'Сумма', 'mo.after': 'Баланс после', 'mo.message': 'Сообщение', 'mo.badgeHistory': 'История бейджей',
    'mo.goals': 'Цели', 'mo.goalTitle': 'Название', 'mo.progress': 'Прогресс', 'mo.deadline': 'Срок', 'mo.completed': 'выполнена',
    'mo.approved': 'утверждена', 'mo.draft': 'не утверждена', 'mo.goalHistory': 'История целей', 'mo.goal': 'Цель', 'mo.action': 'Действие',
    'mo.actor': 'Кто', 'mo.changes': 'Изменения',
    'qu.title': 'Квесты', 'qu.quest': 'Квест', 'qu.mentors': 'Наставники', 'qu.visible': 'Виден сейчас', 'qu.deadline': 'Срок', 'qu.open': 'Открыт', 'qu.always': 'всегда',
    'qu.tasks': 'Задания и их ученики по статусам', 'qu.task': 'Задание', 'qu.score': 'Баллы', 'qu.students': 'Ученики', 'qu.student': 'Ученик',
    'qu.assigned': 'Назначен', 'qu.status': 'Статус', 'qu.awards': 'Награды', 'qu.kind': 'Вид', 'qu.recipient': 'Получатель',
    'qu.thread': (task, user) => `Задание ${task}: ${user}`,
    'qu.inProgress': 'в работе', 'qu.checking': 'на проверке', 'qu.redo': 'на доработке', 'qu.complete': 'выполнено', 'qu.fail': 'провалено',
    'rp.title': 'Отчёты', 'rp.report': (id) => `Отчёт ${id}`, 'rp.type': 'Тип', 'rp.locale': 'Язык', 'rp.state': 'Состояние', 'rp.size': 'Байт',
    'rp.finished': 'Завершён', 'rp.expires': 'Истекает', 'rp.error': 'Ошибка', 'rp.filters': 'Фильтры', 'rp.noFilters': 'Не переданы.',
    'rp.explain': 'Отчёты, созданные через публичный API (POST /public/api/v1/reports/create/{type}), хранятся до истечения срока; истёкшие, которые задание очистки ещё не удалило, тоже в списке.',
    'rp.processing': 'строится', 'rp.ready': 'готов', 'rp.failed': 'не построен', 'rp.download': (id) => `Скачать отчёт ${id}`,
    'rp.delete': (id) => `Удалить отчёт ${id}`, 'rp.deleted': (id) => `Отчёт ${id} удалён.`,
    'rp.confirmDelete': (id) => `Удалить отчёт ${id}? Его данные удалятся вместе с ним, а публичный API будет отвечать на него «Report not found».`,
    'rp.curlExplain': 'Те же вызовы API оператора из оболочки: сначала задайте в STEND_OPERATOR_TOKEN токен оператора. Большой отчёт скачивайте так: браузер держит весь файл в памяти.',
    'rp.curlRecord': 'Прочитать запись', 'rp.curlData': 'Скачать отчёт', 'rp.curlDelete': 'Удалить отчёт',
  },
};

export const languages = ['ru', 'en'];
const langKey = 'stend.lang';

function initial() {
  const kept = localStorage.getItem(langKey);
  if (languages.includes(kept)) return kept;
  return (navigator.language || 'ru').toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

let current = initial();

export const lang = () => current;

export function setLang(l) {
  current = l;
  localStorage.setItem(langKey, l);
  dispatchEvent(new Event('stend-lang'));
}

// t is the text of key in the current language, called with args when it
// is a function; a key missing from a language falls back to English.
export function t(key, ...args) {
  const v = texts[current][key] ?? texts.en[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
}

export function fmtTime(at) {
  return new Date(at).toLocaleString(current === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'UTC' }) + ' UTC';
}
