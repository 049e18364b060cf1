package bankcsv

// headerNames maps each layout's accepted column headings (lower case) to
// the field they fill.
var headerNames = map[string]map[string]string{
	LayoutStend: {
		"kind": "kind", "region": "region", "last_name": "last_name", "first_name": "first_name", "patronymic": "patronymic",
		"birth_date": "birth_date", "birth_place": "birth_place", "legal_name": "legal_name", "legal_address": "legal_address",
		"number": "number", "opened": "opened", "joined": "joined", "doc_type": "doc_type", "doc_date": "doc_date",
		"doc_number": "doc_number", "doc_issuer": "doc_issuer", "subject": "subject", "amount": "amount", "fee": "fee",
		"department_name": "department_name", "department_index": "department_index", "department_address": "department_address",
		"bailiff_name": "bailiff_name", "bailiff_phone": "bailiff_phone", "end_date": "end_date", "end_article": "end_article",
		"end_part": "end_part", "end_point": "end_point",
		// Added for the shapes of older answers (issue 18); files without
		// them read as before.
		"department_number": "department_number", "consolidated": "consolidated", "amount_format": "amount_format", "bailiff": "bailiff",
	},
	// The open data set of proceedings against legal entities, with its
	// Russian headings and the English ones of its structure file.
	LayoutOpenData: {
		"наименование должника": "legal_name", "name of debtor": "legal_name",
		"адрес должника": "legal_address", "address of debtor": "legal_address",
		"фактический адрес должника": "actual_address", "actual address of debtor": "actual_address",
		"номер ип": "number", "номер исполнительного производства": "number", "enforcement proceedings number": "number",
		"дата возбуждения ип": "opened", "дата возбуждения": "opened", "date of institution of enforcement proceedings": "opened",
		"номер сводного ип": "joined_number", "summary enforcement proceedings number": "joined_number",
		"тип исполнительного документа": "doc_type", "type of executive document": "doc_type",
		"дата исполнительного документа": "doc_date", "date of executive document": "doc_date",
		"номер исполнительного документа": "doc_number", "number of executive document": "doc_number",
		"наименование органа, выдавшего исполнительный документ": "doc_issuer", "issuing authority": "doc_issuer",
		"требования исполнительного документа": "subject", "предмет исполнения": "subject", "subject of execution": "subject",
		"сумма долга": "amount", "amount due": "amount",
		"отдел судебных приставов": "department_name", "department of bailiffs": "department_name",
		"адрес отдела судебных приставов": "department_address", "department of bailiffs address": "department_address",
	},
}
