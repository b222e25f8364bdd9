"""The Gradio web UI of CP Assistant (`cpassist serve`): chat, sources, document view, feedback, API."""
