/* hubd-card-vocab.c: the Hub's vocabularies a card is checked against (pure data) */
#include "hubd-card-vocab.h"

/* word lists, kept compact */
// clang-format off
/* docs/hub-cards.md §2.2 */
const gchar *const hubd_card_licenses[] = {
	"apache-2.0", "mit", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd", "bsd-2-clause",
	"bsd-3-clause", "bsd-3-clause-clear", "isc", "ms-pl", "mpl-2.0", "osl-3.0", "postgresql",
	"ncsa", "unlicense", "zlib", "wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0", "eupl-1.1", "eupl-1.2",
	"agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1", "lgpl-3.0", "lgpl-lr",
	"lppl-1.3c", "cc", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0",
	"cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0",
	"cc-by-nd-4.0", "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0",
	"cc-by-nc-sa-4.0", "c-uda", "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0",
	"etalab-2.0", "odc-by", "odbl", "pddl", "ofl-1.1", "openrail", "bigscience-openrail-m",
	"creativeml-openrail-m", "bigscience-bloom-rail-1.0", "bigcode-openrail-m", "openrail++",
	"deepfloyd-if-license", "fair-noncommercial-research-license", "llama2", "llama3", "llama3.1",
	"llama3.2", "llama3.3", "llama4", "grok2-community", "gemma", "apple-ascl", "apple-amlr",
	"h-research", "intel-research", "openmdw-1.0", "openmdw-1.1", "unknown", "other", NULL,
};
/* docs/hub-cards.md §6.1: pipeline_tag and task_categories */
const gchar *const hubd_card_tasks[] = {
	"text-classification", "token-classification", "question-answering",
	"zero-shot-classification", "feature-extraction", "text-generation", "fill-mask",
	"sentence-similarity", "multiple-choice", "text-ranking", "text-retrieval",
	"table-question-answering", "tabular-classification", "tabular-regression", "tabular-to-text",
	"table-to-text", "time-series-forecasting", "text-to-speech", "text-to-audio",
	"automatic-speech-recognition", "audio-to-audio", "audio-classification",
	"audio-text-to-text", "voice-activity-detection", "depth-estimation", "image-classification",
	"object-detection", "image-segmentation", "text-to-image", "image-to-text", "image-to-image",
	"unconditional-image-generation", "zero-shot-image-classification", "mask-generation",
	"zero-shot-object-detection", "image-feature-extraction", "keypoint-detection",
	"image-to-video", "video-classification", "text-to-video", "video-text-to-text",
	"video-to-video", "image-text-to-text", "image-text-to-image", "image-text-to-video",
	"visual-question-answering", "document-question-answering", "visual-document-retrieval",
	"any-to-any", "text-to-3d", "image-to-3d", "reinforcement-learning", "graph-ml",
	"translation", "summarization", "text2text-generation", "other", NULL,
};
/* docs/hub-cards.md §6.2 */
const gchar *const hubd_card_size_categories[] = {
	"unknown", "n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M",
	"100M<n<1B", "1B<n<10B", "10B<n<100B", "100B<n<1T", "n>1T", NULL,
};
/* docs/hub-cards.md §6.3 */
const gchar *const hubd_card_creators[] = {
	"found", "crowdsourced", "expert-generated", "machine-generated", "no-annotation", "other",
	NULL,
};
/* docs/hub-cards.md §6.4 */
const gchar *const hubd_card_relations[] = {
	"adapter", "merge", "quantized", "finetune", NULL,
};
// clang-format on

gboolean
hubd_card_license_is_known(const gchar *id)
{
	return id != NULL && g_strv_contains(hubd_card_licenses, id);
}
