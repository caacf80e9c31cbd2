package pmml

import "encoding/xml"

// namespace is the XML namespace of a PMML 4.4 document. The tag of
// document.XMLName repeats it because a struct tag cannot name a constant.
const namespace = "http://www.dmg.org/PMML-4_4"

// The types below mirror the subset of the PMML 4.4 schema that Export writes
// (http://www.dmg.org/pmml/v4-4/pmml-4-4.xsd). Struct field order is element
// and attribute order in the output, and the schema's sequences depend on it.
// The same types decode an exported document again in the tests.

type document struct {
	XMLName        xml.Name       `xml:"http://www.dmg.org/PMML-4_4 PMML"`
	Version        string         `xml:"version,attr"`
	Header         header         `xml:"Header"`
	DataDictionary dataDictionary `xml:"DataDictionary"`
	// TransformationDictionary holds the derived characteristics; nil
	// when the model has none.
	TransformationDictionary *transformationDictionary `xml:"TransformationDictionary"`
	Scorecard                scorecard                 `xml:"Scorecard"`
}

type transformationDictionary struct {
	Fields []derived `xml:"DerivedField"`
}

// derived is a DerivedField: a continuous double computed by Expr.
type derived struct {
	Name     string `xml:"name,attr"`
	Optype   string `xml:"optype,attr"`
	DataType string `xml:"dataType,attr"`
	Expr     expr   `xml:",any"`
}

// expr is any PMML expression Export writes: Apply (Function and Args),
// FieldRef (Field) or Constant (DataType and Value), told apart by XMLName.
type expr struct {
	XMLName  xml.Name
	Function string `xml:"function,attr,omitempty"`
	Field    string `xml:"field,attr,omitempty"`
	DataType string `xml:"dataType,attr,omitempty"`
	Value    string `xml:",chardata"`
	Args     []expr `xml:",any"`
}

type header struct {
	Copyright   string      `xml:"copyright,attr"`
	Description string      `xml:"description,attr"`
	Application application `xml:"Application"`
	Timestamp   string      `xml:"Timestamp,omitempty"`
}

type application struct {
	Name    string `xml:"name,attr"`
	Version string `xml:"version,attr,omitempty"`
}

type dataDictionary struct {
	NumberOfFields int         `xml:"numberOfFields,attr"`
	Fields         []dataField `xml:"DataField"`
}

type dataField struct {
	Name     string  `xml:"name,attr"`
	Optype   string  `xml:"optype,attr"`
	DataType string  `xml:"dataType,attr"`
	Values   []value `xml:"Value"`
}

type value struct {
	Value string `xml:"value,attr"`
}

type scorecard struct {
	ModelName           string          `xml:"modelName,attr"`
	FunctionName        string          `xml:"functionName,attr"`
	InitialScore        int             `xml:"initialScore,attr"`
	UseReasonCodes      string          `xml:"useReasonCodes,attr"`
	ReasonCodeAlgorithm string          `xml:"reasonCodeAlgorithm,attr"`
	BaselineMethod      string          `xml:"baselineMethod,attr"`
	Extensions          []extension     `xml:"Extension"`
	MiningSchema        miningSchema    `xml:"MiningSchema"`
	Output              output          `xml:"Output"`
	Characteristics     characteristics `xml:"Characteristics"`
}

type extension struct {
	Extender string `xml:"extender,attr,omitempty"`
	Name     string `xml:"name,attr"`
	Value    string `xml:"value,attr"`
}

type miningSchema struct {
	Fields []miningField `xml:"MiningField"`
}

type miningField struct {
	Name                  string `xml:"name,attr"`
	UsageType             string `xml:"usageType,attr"`
	InvalidValueTreatment string `xml:"invalidValueTreatment,attr,omitempty"`
}

type output struct {
	Fields []outputField `xml:"OutputField"`
}

type outputField struct {
	Name     string `xml:"name,attr"`
	Optype   string `xml:"optype,attr"`
	DataType string `xml:"dataType,attr"`
	Feature  string `xml:"feature,attr"`
	Rank     int    `xml:"rank,attr,omitempty"`
}

type characteristics struct {
	Items []characteristic `xml:"Characteristic"`
}

type characteristic struct {
	Name          string      `xml:"name,attr"`
	ReasonCode    string      `xml:"reasonCode,attr"`
	BaselineScore int         `xml:"baselineScore,attr"`
	Attributes    []attribute `xml:"Attribute"`
}

type attribute struct {
	PartialScore int       `xml:"partialScore,attr"`
	Predicate    predicate `xml:",any"`
}

// predicate is any PMML predicate: SimplePredicate, SimpleSetPredicate,
// CompoundPredicate, True or False, told apart by XMLName. One type for all of
// them keeps a CompoundPredicate's children in the order they were added.
type predicate struct {
	XMLName         xml.Name
	Field           string      `xml:"field,attr,omitempty"`
	Operator        string      `xml:"operator,attr,omitempty"`
	Value           string      `xml:"value,attr,omitempty"`
	BooleanOperator string      `xml:"booleanOperator,attr,omitempty"`
	Array           *array      `xml:"Array"`
	Predicates      []predicate `xml:",any"`
}

// array is a PMML Array of strings. Export fills Raw, already escaped by
// arrayContent, so the value quotes stay readable as " rather than the &#34;
// encoding/xml would write; decoding fills Text with the unescaped content.
type array struct {
	N    int    `xml:"n,attr"`
	Type string `xml:"type,attr"`
	Raw  string `xml:",innerxml"`
	Text string `xml:",chardata"`
}
