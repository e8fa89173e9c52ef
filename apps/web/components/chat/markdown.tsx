"use client";

import type { ComponentProps } from "react";
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

// The assistant's replies as Markdown (lists, code, links, tables): no raw HTML is ever rendered
// (skipHtml, and no rehype-raw), react-markdown's default URL filter drops javascript: and data:
// links, and every link opens in a new tab without access to this page (noopener noreferrer).
function SafeLink({ node: _node, ...props }: ComponentProps<"a"> & { node?: unknown }) {
  return <a {...props} target="_blank" rel="noopener noreferrer" />;
}

const components = { a: SafeLink };
const plugins = [remarkGfm];

export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={plugins} components={components} skipHtml>
        {text}
      </ReactMarkdown>
    </div>
  );
}
