import { useEffect, useState } from 'react';

import type {
  Enterprise,
  EnterpriseDraft,
  EnterpriseListItem,
} from '../../../shared/domain/enterprise';
import { api } from '../api';
import { EnterpriseDeleteModal } from '../components/EnterpriseDeleteModal';
import { EnterpriseDrawer } from '../components/EnterpriseDrawer';
import { EnterpriseTable } from '../components/EnterpriseTable';
import { EnterpriseVisitsDrawer } from '../components/EnterpriseVisitsDrawer';
import { ProcessesDrawer } from '../components/ProcessesDrawer';
import { RegistryToolbar } from '../components/RegistryToolbar';
import { useRegistryStore } from '../stores/registry';
import { LoadFailed } from '../components/LoadFailed';

/** The drawer's state; the enterprise stays while it closes so its title does not flip. */
interface Editing {
  open: boolean;
  enterprise: Enterprise | null;
}

/** 企业台账: search, filter, add, edit and delete enterprises, and each one's 行业与工序. */
export function RegistryPage() {
  const error = useRegistryStore((s) => s.error);
  const refresh = useRegistryStore((s) => s.refresh);
  const save = useRegistryStore((s) => s.save);
  const [editing, setEditing] = useState<Editing>({ open: false, enterprise: null });
  const [processes, setProcesses] = useState<Editing>({ open: false, enterprise: null });
  const [visits, setVisits] = useState<{ open: boolean; enterprise: EnterpriseListItem | null }>({
    open: false,
    enterprise: null,
  });
  const [deleting, setDeleting] = useState<EnterpriseListItem | null>(null);

  useEffect(() => {
    void refresh();
    return api.on('data.changed', ({ tables }) => {
      // An empty list means "anything may have changed" (the event stream reconnected).
      if (tables.length === 0 || tables.includes('enterprises') || tables.includes('violations'))
        void refresh();
    });
  }, [refresh]);

  return (
    <div className="page">
      <RegistryToolbar onAdd={() => setEditing({ open: true, enterprise: null })} />
      {error && (
        <LoadFailed
          title="企业列表加载失败"
          error={error}
          retry={() => void refresh()}
          style={{ marginBottom: 16 }}
        />
      )}
      <EnterpriseTable
        onEdit={(enterprise) => setEditing({ open: true, enterprise })}
        onProcesses={(enterprise) => setProcesses({ open: true, enterprise })}
        onVisits={(enterprise) => setVisits({ open: true, enterprise })}
        onDelete={setDeleting}
      />
      <EnterpriseDeleteModal
        key={deleting?.id ?? 'none'}
        enterprise={deleting}
        onClose={() => setDeleting(null)}
      />
      <EnterpriseVisitsDrawer
        open={visits.open}
        enterprise={visits.enterprise}
        onClose={() => setVisits((v) => ({ open: false, enterprise: v.enterprise }))}
      />
      <EnterpriseDrawer
        open={editing.open}
        enterprise={editing.enterprise}
        onClose={() => setEditing((e) => ({ open: false, enterprise: e.enterprise }))}
        onSave={(draft: EnterpriseDraft) => save(editing.enterprise?.id ?? null, draft)}
      />
      <ProcessesDrawer
        open={processes.open}
        enterprise={processes.enterprise}
        onClose={() => setProcesses((p) => ({ open: false, enterprise: p.enterprise }))}
      />
    </div>
  );
}
